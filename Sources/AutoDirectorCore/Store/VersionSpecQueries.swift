import Foundation
import GRDB

/// Many versions' specs in one read (an export's provenance): their looks parsed once each and
/// their identities read in source order, so a batch's stored rows are decoded chunk by chunk
/// rather than once per version.
extension SQLiteStore {
    func specs(of keys: [VersionKey]) throws -> [VersionKey: JSONObject] {
        guard !keys.isEmpty else { return [:] }
        let wanted = JSONWriter.compact(.array(keys.map { [.string($0.shotID), .number(Double($0.version))] }))
        return try read { db in
            var identities = SourceIdentities(db: db)
            var looks: [Int64: JSONObject] = [:]
            var specs: [VersionKey: JSONObject] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT v.shot_id, v.number, v.seed, v.identity, v.look_id, s.batch_id, s.ordinal
                    FROM json_each(?) k
                    JOIN versions v ON v.shot_id = json_extract(k.value, '$[0]') AND v.number = json_extract(k.value, '$[1]')
                    JOIN shots s ON s.id = v.shot_id
                    ORDER BY s.batch_id, s.ordinal
                    """,
                arguments: [wanted])
            while let row = try rows.next() {
                let lookID: Int64 = row[4]
                if looks[lookID] == nil {
                    let json = try String.fetchOne(db, sql: "SELECT json FROM looks WHERE id = ?", arguments: [lookID]) ?? "{}"
                    looks[lookID] = try JSONParser.parse(json, maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
                }
                let identity = try identities.identity(stored: row[3], batchID: row[5], ordinal: row[6])
                let seed = UInt32(truncatingIfNeeded: row[2] as Int64)
                specs[VersionKey(shotID: row[0], version: row[1])] = SpecParts.join(identity: identity, look: looks[lookID] ?? JSONObject(), seed: seed)
            }
            return specs
        }
    }
}
