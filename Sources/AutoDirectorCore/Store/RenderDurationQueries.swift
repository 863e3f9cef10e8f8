import GRDB

extension SQLiteStore {
    /// How long the provider took for a version's image: its latest rendered job item (a cache
    /// hit took no render, so it does not count).
    func renderDurationMS(shotID: String, version: Int) throws -> Int? {
        try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT duration_ms FROM job_items WHERE shot_id = ? AND version = ? AND state = \(JobItem.State.done.sql) AND duration_ms IS NOT NULL
                    ORDER BY id DESC LIMIT 1
                    """,
                arguments: [shotID, version])
        }
    }
}

extension Engine {
    /// Milliseconds the provider took to render a version (nil: not rendered, or a cache hit).
    public func renderDurationMS(_ shotID: String, version: Int) throws -> Int? {
        try store.renderDurationMS(shotID: shotID, version: version)
    }
}
