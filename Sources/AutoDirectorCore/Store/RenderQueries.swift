import Foundation
import GRDB

extension ProjectStore {
    /// The render requests of a job's queued items, in job order. Looks are parsed once each,
    /// and identities not stored with a version are derived from the batch's stored rows, one
    /// decoded chunk at a time, so loading 100k requests stays cheap.
    func renderRequests(jobID: Int64) throws -> [RenderRequest] {
        try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT ji.shot_id, ji.version, ji.hash, v.seed, v.identity, l.key AS look_key, l.json AS look_json,
                           s.batch_id, s.ordinal
                    FROM job_items ji
                    JOIN versions v ON v.shot_id = ji.shot_id AND v.number = ji.version
                    JOIN looks l ON l.id = v.look_id
                    JOIN shots s ON s.id = ji.shot_id
                    WHERE ji.job_id = ? AND ji.state = 'queued' ORDER BY ji.rowid
                    """,
                arguments: [jobID])
            var looks: [String: JSONObject] = [:]
            var identities = SourceIdentities(db: db)
            var requests: [RenderRequest] = []
            // Columns by index: name lookups cost more than the rest of this loop.
            while let row = try rows.next() {
                let lookKey: String = row[5]
                let look: JSONObject
                if let known = looks[lookKey] {
                    look = known
                } else {
                    look = try JSONParser.parse(row[6] as String, maxDepth: 128).objectValue ?? JSONObject()
                    looks[lookKey] = look
                }
                let identity: JSONObject
                if let stored = row[4] as String? {
                    identity = try JSONParser.parse(stored, maxDepth: 128).objectValue ?? JSONObject()
                } else {
                    identity = try identities.identity(batchID: row[7], ordinal: row[8])
                }
                let seed = UInt32(truncatingIfNeeded: row[3] as Int64)
                requests.append(RenderRequest(
                    shotID: row[0], version: row[1], hash: row[2],
                    spec: SpecParts.join(identity: identity, look: look, seed: seed, readable: false), seed: seed, lookKey: lookKey))
            }
            return requests
        }
    }
}
