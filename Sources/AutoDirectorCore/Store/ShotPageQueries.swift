import Foundation
import GRDB

extension ProjectStore {
    /// One window of the batch table (see `ShotQuery`), with the count of matching shots.
    func shotPage(_ query: ShotQuery) throws -> ShotPage {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let batchID = query.batchID {
                conditions.append("s.batch_id = ?")
                arguments += [batchID]
            }
            let filter = query.filter.trimmingCharacters(in: .whitespaces)
            if !filter.isEmpty {
                let pattern = "%" + filter.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"
                conditions.append("(s.id LIKE ? ESCAPE '\\' OR s.subject LIKE ? ESCAPE '\\' OR v.review = ? OR \(Self.renderStatusSQL) = ?)")
                arguments += [pattern, pattern, filter.lowercased(), filter.lowercased()]
            }
            let from = "FROM shots s JOIN versions v ON v.shot_id = s.id AND v.number = \(Self.latestNumberSQL)"
            let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            let total: Int
            if filter.isEmpty {
                // Every shot has a latest version: no need to join to count.
                if let batchID = query.batchID {
                    total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM shots WHERE batch_id = ?", arguments: [batchID]) ?? 0
                } else {
                    total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM shots") ?? 0
                }
            } else {
                total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(from)\(whereClause)", arguments: arguments) ?? 0
            }
            let order: String
            switch query.sort {
            case .source: order = "s.batch_id, s.ordinal"
            case .id: order = "s.id"
            case .subject: order = "s.subject COLLATE NOCASE, s.id"
            case .review: order = "v.review, s.batch_id, s.ordinal"
            case .status: order = "render_status, s.batch_id, s.ordinal"
            }
            let sql = """
                SELECT s.*, v.number AS latest_version, v.hash, v.review, \(Self.renderStatusSQL) AS render_status
                \(from)\(whereClause) ORDER BY \(order) LIMIT ? OFFSET ?
                """
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments + [query.limit, query.offset]).map { row in
                ShotSummary(
                    shot: Self.shot(row), hash: row["hash"], renderStatus: RenderStatus(jobItemState: row["render_status"]),
                    review: ReviewStatus(rawValue: row["review"]) ?? .pending)
            }
            return ShotPage(total: total, offset: query.offset, rows: rows)
        }
    }
}
