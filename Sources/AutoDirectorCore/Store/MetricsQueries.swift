import GRDB

extension SQLiteStore {
    /// Metrics of the whole project, or of the items of one batch's shots.
    func renderMetrics(batchID: String? = nil) throws -> RenderMetrics {
        try read { db in
            // Job items, restricted to a batch's shots when asked.
            let items = batchID == nil ? "job_items" : "(SELECT ji.* FROM job_items ji JOIN shots s ON s.id = ji.shot_id WHERE s.batch_id = :batch)"
            let arguments: StatementArguments = batchID.map { ["batch": $0] } ?? [:]
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*), SUM(MAX(attempts - 1, 0)) FROM \(items) GROUP BY state", arguments: arguments) {
                counts[row[0]] = row[1]
                counts["retries", default: 0] += row[2] as Int? ?? 0
            }
            let durations = try Int.fetchAll(
                db, sql: "SELECT duration_ms FROM \(items) WHERE state = \(JobItem.State.done.sql) AND duration_ms IS NOT NULL ORDER BY duration_ms", arguments: arguments)
            func quantile(_ q: Double) -> Double? {
                guard !durations.isEmpty else { return nil }
                // Nearest rank: the smallest value with at least q of the values at or below it.
                let rank = max(1, Int((q * Double(durations.count)).rounded(.up)))
                return Double(durations[min(durations.count, rank) - 1]) / 1000
            }
            let queue = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM \(items) ji JOIN jobs j ON j.id = ji.job_id
                    WHERE j.state IN \([RenderJob.State.queued, .running].sql) AND ji.state IN \([JobItem.State.queued, .running].sql)
                    """, arguments: arguments) ?? 0
            var jobs: [RenderJob.State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) FROM jobs GROUP BY state") {
                if let state = RenderJob.State(rawValue: row[0]) { jobs[state] = row[1] }
            }
            return RenderMetrics(
                rendersExecuted: counts["done"] ?? 0, cacheHits: counts["cached"] ?? 0,
                failures: (counts["failed"] ?? 0) + (counts["blocked"] ?? 0), blocked: counts["blocked"] ?? 0,
                retries: counts["retries"] ?? 0, renderSecondsP50: quantile(0.5), renderSecondsP95: quantile(0.95),
                queueDepth: queue, jobsByState: jobs,
                renderMillisecondsMean: durations.isEmpty ? nil : Double(durations.reduce(0, +)) / Double(durations.count))
        }
    }
}
