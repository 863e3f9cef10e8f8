import Foundation

/// What renders cost (see the SQLite twin, `CostQueries`).
extension PostgresStore {
    func waitingHashes() throws -> [String] {
        try read { tx in
            try tx.column("""
                SELECT ji.hash FROM job_items ji JOIN jobs j ON j.id = ji.job_id
                WHERE j.state = ANY(\(Self.unfinishedJobStates)) AND ji.state = ANY(\(Self.waitingItemStates))
                """, as: String.self)
        }
    }

    func generationParameters(ofHashes hashes: Set<String>) throws -> [String: GenerationParameters] {
        guard !hashes.isEmpty else { return [:] }
        return try read { tx in
            var lookOf: [String: Int64] = [:]
            for row in try tx.rows("SELECT DISTINCT ON (hash) hash, look_id FROM versions WHERE hash = ANY(\(Array(hashes)))") {
                lookOf[try row.string(0)] = try row.at(1, as: Int64.self)
            }
            var parameters: [Int64: GenerationParameters] = [:]
            for row in try tx.rows("SELECT id, json FROM looks WHERE id = ANY(\(Array(Set(lookOf.values))))") {
                let look = try JSONParser.parse(try row.string(1), maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
                parameters[try row.at(0, as: Int64.self)] = GenerationParameters(spec: look)
            }
            return lookOf.mapValues { parameters[$0] ?? GenerationParameters() }
        }
    }

    func billedHashes(since: Date?) throws -> [String] {
        let from = since.map(StoredDate.text)
        return try read { tx in
            try tx.column("""
                SELECT hash FROM job_items WHERE (state = \(JobItem.State.done.rawValue) OR request_id IS NOT NULL)
                AND (\(from)::text IS NULL OR COALESCE(submitted_at, finished_at) >= \(from))
                """, as: String.self)
        }
    }

    func directRenderGenerations(since: Date?) throws -> [String?] {
        let from = since.map(StoredDate.text)
        return try read { tx in
            try tx.rows("SELECT generation FROM direct_renders WHERE \(from)::text IS NULL OR created_at >= \(from)").map { try $0.optionalString(0) }
        }
    }
}
