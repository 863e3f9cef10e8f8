import Foundation
import GRDB

extension SQLiteStore {
    /// The looks of a job's queued items, by id: a job has thousands of items but a handful of
    /// looks, so each is read and parsed once (`RenderRequestStream` reads them first).
    func renderLooks(jobID: Int64) throws -> RenderLooks {
        try read { db -> RenderLooks in
            var looks: RenderLooks = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, key, json FROM looks WHERE id IN (SELECT DISTINCT v.look_id FROM job_items ji
                    JOIN versions v ON v.shot_id = ji.shot_id AND v.number = ji.version WHERE ji.job_id = ? AND ji.state = \(JobItem.State.queued.sql))
                    """,
                arguments: [jobID])
            {
                looks[row[0]] = (row[1], try JSONParser.parse(row[2] as String, maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject())
            }
            return looks
        }
    }

    /// Up to `limit` queued items of a job after item id `after`, in queue order, read in one
    /// short read transaction: a consumer that waits between pages (back-pressure from a slow
    /// provider) holds no snapshot open, so the WAL can be reset while the job's commits arrive.
    /// Identities not stored with a version are derived from the batch's stored rows.
    func renderRequestPage(jobID: Int64, after: Int64, limit: Int, looks: RenderLooks) throws -> [RenderRequest] {
        try read { db -> [RenderRequest] in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT ji.shot_id, ji.version, ji.hash, v.seed, v.identity, v.look_id, s.batch_id, s.ordinal, ji.request_id, ji.submitted_at, ji.id
                    FROM job_items ji
                    JOIN versions v ON v.shot_id = ji.shot_id AND v.number = ji.version
                    JOIN shots s ON s.id = ji.shot_id
                    WHERE ji.job_id = ? AND ji.state = \(JobItem.State.queued.sql) AND ji.id > ? ORDER BY ji.id LIMIT ?
                    """,
                arguments: [jobID, after, limit])
            var identities = SourceIdentities(db: db)
            var requests: [RenderRequest] = []
            requests.reserveCapacity(limit)
            // Columns by index: name lookups cost more than the rest of this loop.
            while let row = try rows.next() {
                guard let (lookKey, look) = looks[row[5] as Int64] else { throw StoredRowError(batchID: "?", line: nil) }
                let identity = try identities.identity(stored: row[4], batchID: row[6], ordinal: row[7])
                let seed = UInt32(truncatingIfNeeded: row[3] as Int64)
                var request = RenderRequest(
                    shotID: row[0], version: row[1], hash: row[2], identity: identity, look: look, seed: seed, lookKey: lookKey)
                request.jobItemID = row[10]
                if let requestID = row[8] as String? {
                    request.submission = .accepted(requestID: requestID)
                } else if row[9] as String? != nil {
                    request.submission = .sending
                }
                requests.append(request)
            }
            return requests
        }
    }
}

/// A job's looks by id: the look's key and its parsed JSON.
typealias RenderLooks = [Int64: (key: String, look: JSONObject)]

extension SQLiteStore: ExclusiveRendering {
    func takeRenderLock(projectDirectory: URL) throws -> any RenderLock {
        try FileRenderLock(directory: projectDirectory)
    }
}
