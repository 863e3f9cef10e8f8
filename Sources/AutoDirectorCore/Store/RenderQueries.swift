import Foundation
import GRDB

extension ProjectStore {
    /// The render requests of a job's queued items, in job order. Looks are parsed once each,
    /// and identities not stored with a version are derived from the batch's stored rows, one
    /// decoded chunk at a time, so loading 100k requests stays cheap.
    func renderRequests(jobID: Int64) throws -> [RenderRequest] {
        var all: [RenderRequest] = []
        try renderRequests(jobID: jobID, chunkSize: 4096) { all += $0 }
        return all
    }

    /// The queued items of a job in queue order, handed over `chunkSize` at a time, so that
    /// rendering starts before 100k requests are built. Each chunk is read in a short read
    /// transaction of its own, after the last item handed over (by id): a consumer that waits
    /// (back-pressure from a slow provider) holds no snapshot open, so the WAL can be reset while
    /// the job's commits arrive.
    func renderRequests(jobID: Int64, chunkSize: Int, _ deliver: ([RenderRequest]) throws -> Void) throws {
        // A job has thousands of items but a handful of looks: read looks once, by id.
        let looks = try read { db -> [Int64: (key: String, look: JSONObject)] in
            var looks: [Int64: (key: String, look: JSONObject)] = [:]
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
        var after: Int64 = 0
        while true {
            let chunk = try read { db -> [RenderRequest] in
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT ji.shot_id, ji.version, ji.hash, v.seed, v.identity, v.look_id, s.batch_id, s.ordinal, ji.request_id, ji.submitted_at, ji.id
                        FROM job_items ji
                        JOIN versions v ON v.shot_id = ji.shot_id AND v.number = ji.version
                        JOIN shots s ON s.id = ji.shot_id
                        WHERE ji.job_id = ? AND ji.state = \(JobItem.State.queued.sql) AND ji.id > ? ORDER BY ji.id LIMIT ?
                        """,
                    arguments: [jobID, after, chunkSize])
                var identities = SourceIdentities(db: db)
                var requests: [RenderRequest] = []
                requests.reserveCapacity(chunkSize)
                // Columns by index: name lookups cost more than the rest of this loop.
                while let row = try rows.next() {
                    guard let (lookKey, look) = looks[row[5] as Int64] else { throw StoredRowError(batchID: "?", line: nil) }
                    let identity: JSONObject
                    if let stored = row[4] as String? {
                        identity = try JSONParser.parse(stored, maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
                    } else {
                        identity = try identities.identity(batchID: row[6], ordinal: row[7])
                    }
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
            guard let last = chunk.last else { return }
            after = last.jobItemID
            try deliver(chunk)
            if chunk.count < chunkSize { return }
        }
    }
}
