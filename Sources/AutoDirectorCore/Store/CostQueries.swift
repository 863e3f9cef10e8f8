import Foundation
import GRDB

/// What renders cost (SPEC §18): the calls waiting, their generation parameters, what was billed.
extension SQLiteStore {
    func waitingHashes() throws -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT ji.hash FROM job_items ji JOIN jobs j ON j.id = ji.job_id
                    WHERE j.state IN \([RenderJob.State.queued, .running].sql) AND ji.state IN \([JobItem.State.queued, .running].sql)
                    """)
        }
    }

    func generationParameters(ofHashes hashes: Set<String>) throws -> [String: GenerationParameters] {
        guard !hashes.isEmpty else { return [:] }
        return try read { db in
            // A handful of looks for any number of versions: each is parsed once.
            var lookOf: [String: Int64] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT hash, look_id FROM versions WHERE hash IN (SELECT value FROM json_each(?))",
                arguments: [SQLiteList.argument(Array(hashes))])
            {
                lookOf[row[0]] = row[1]
            }
            var parameters: [Int64: GenerationParameters] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, json FROM looks WHERE id IN (SELECT value FROM json_each(?))",
                arguments: [SQLiteList.argument(Array(Set(lookOf.values)))])
            {
                let look = try JSONParser.parse(row[1] as String, maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
                parameters[row[0]] = GenerationParameters(spec: look)
            }
            return lookOf.mapValues { parameters[$0] ?? GenerationParameters() }
        }
    }

    func billedHashes(since: Date?) throws -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT hash FROM job_items WHERE (state = \(JobItem.State.done.sql) OR request_id IS NOT NULL)
                    AND (? IS NULL OR COALESCE(submitted_at, finished_at) >= ?)
                    """,
                arguments: [since, since])
        }
    }

    func directRenderGenerations(since: Date?) throws -> [String?] {
        try read { db in
            try Optional<String>.fetchAll(
                db, sql: "SELECT generation FROM direct_renders WHERE ? IS NULL OR created_at >= ?", arguments: [since, since])
        }
    }
}
