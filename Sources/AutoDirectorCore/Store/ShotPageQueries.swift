import Foundation
import GRDB

extension SQLiteStore {
    /// One window of the batch table (see `ShotQuery`), with the count of matching shots.
    ///
    /// In two steps: the ids of the window first, sorting only what the order and the filter
    /// need (for the source order and no filter, the shots table alone), then the table columns
    /// of just those rows. Computing render statuses for 100k rows to show 50 would take most of
    /// a second; an index on the source order would cost every ingest instead.
    func shotPage(_ query: ShotQuery, _ filter: ShotFilter) throws -> ShotPage {
        try read { db in
            let (from, whereClause, order, arguments) = Self.pageSQL(query, filter)
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(from)\(whereClause)", arguments: arguments) ?? 0
            let ids = try String.fetchAll(
                db, sql: "SELECT s.id \(from)\(whereClause) ORDER BY \(order) LIMIT ? OFFSET ?",
                arguments: arguments + [query.limit, query.offset])
            guard !ids.isEmpty else { return ShotPage(total: total, offset: query.offset, rows: []) }
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            // Rows changed by others since the reviewer's last visit are marked.
            var marks = ShotFilterSQL(.sqlite, bound: 0)
            let isNew = query.lastVisit.map { marks.changed(since: $0, by: query.reviewer) } ?? "0"
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.*, v.number AS latest_version, v.hash, v.review, v.approved_stages, \(Self.renderStatusSQL) AS render_status,
                        \(isNew) AS is_new
                    FROM shots s JOIN versions v ON v.shot_id = s.id AND v.number = \(Self.latestNumberSQL)
                    WHERE s.id IN (\(placeholders))
                    """,
                arguments: Self.arguments(marks.values) + StatementArguments(ids))
            var byID: [String: ShotSummary] = [:]
            for row in rows {
                let summary = ShotSummary(
                    shot: Self.shot(row), hash: row["hash"], renderStatus: RenderStatus(jobItemState: row["render_status"]),
                    review: ReviewStatus(rawValue: row["review"]) ?? .pending, approvedStages: StoredStages.names(row["approved_stages"]),
                    isNew: row["is_new"])
                byID[summary.shot.id] = summary
            }
            return ShotPage(total: total, offset: query.offset, rows: ids.compactMap { byID[$0] })
        }
    }

    /// Every shot id the query's batch and filter match, in its order: `*` in the TUI selects
    /// them all (tens of thousands of ids are a few hundred kilobytes).
    func shotIDs(matching query: ShotQuery, _ filter: ShotFilter) throws -> [String] {
        try read { db in
            let (from, whereClause, order, arguments) = Self.pageSQL(query, filter)
            return try String.fetchAll(db, sql: "SELECT s.id \(from)\(whereClause) ORDER BY \(order)", arguments: arguments)
        }
    }

    /// The FROM, WHERE and ORDER BY of a query over the batch table, with its arguments.
    private static func pageSQL(_ query: ShotQuery, _ filter: ShotFilter) -> (from: String, where: String, order: String, arguments: StatementArguments) {
        // A shot is listed once its batch is planned (planning a batch plans all its rows in
        // one transaction): an ingested, unplanned shot has no version to show, and counting
        // it would leave a row the window can never fill.
        var conditions = ["s.batch_id IN (SELECT id FROM batches WHERE planned_at IS NOT NULL)"]
        var arguments: StatementArguments = []
        if let batchID = query.batchID {
            conditions.append("s.batch_id = ?")
            arguments += [batchID]
        }
        var terms = ShotFilterSQL(.sqlite, bound: 0)
        let (filterTerms, filterNeedsVersion) = terms.conditions(filter)
        conditions += filterTerms
        arguments += Self.arguments(terms.values)
        if let assignee = query.assignee {
            conditions.append("s.id IN (SELECT shot_id FROM assignments WHERE assignee = ?)")
            arguments += [assignee]
        }
        if query.awaitingDecision { conditions.append("v.review = 'pending'") }
        let needsVersion = filterNeedsVersion || query.sort == .review || query.sort == .status || query.awaitingDecision
        let from = needsVersion
            ? "FROM shots s JOIN versions v ON v.shot_id = s.id AND v.number = \(Self.latestNumberSQL)"
            : "FROM shots s"
        let whereClause = " WHERE " + conditions.joined(separator: " AND ")
        // Every shot of a planned batch has a latest version: without a filter the join does
        // not change the count.
        let order: String
        switch query.sort {
        case .source: order = "s.batch_id, s.ordinal"
        case .id: order = "s.id"
        case .subject: order = "s.subject COLLATE NOCASE, s.id"
        case .review: order = "v.review, s.batch_id, s.ordinal"
        case .status: order = "\(Self.renderStatusSQL), s.batch_id, s.ordinal"
        }
        return (from, whereClause, order, arguments)
    }

    static func arguments(_ values: [ShotFilterSQL.Value]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible) in
            switch value {
            case .text(let text): return text
            case .int(let number): return number
            }
        })
    }
}
