import Foundation

/// The WHERE terms of a `ShotFilter` over `shots s` joined to their latest version `v`, written
/// once for both stores: they differ only in how a value is bound (`?` or `$n`) and in a
/// case-insensitive LIKE. Times are bound as the stores keep them (`StoredDate`), so they
/// compare as text.
struct ShotFilterSQL {
    enum Dialect {
        case sqlite, postgres
    }

    enum Value: Equatable {
        case text(String)
        case int(Int)
    }

    let dialect: Dialect
    /// Values bound before these terms (PostgreSQL numbers its placeholders).
    let bound: Int
    private(set) var values: [Value] = []

    init(_ dialect: Dialect, bound: Int) {
        self.dialect = dialect
        self.bound = bound
    }

    /// The terms, and whether they read the latest version (`v`).
    mutating func conditions(_ filter: ShotFilter) -> (terms: [String], needsVersion: Bool) {
        var terms: [String] = []
        for word in filter.words {
            // Each use its own value: SQLite's `?` are positional.
            let pattern = Value.text("%" + Self.escapeLike(word) + "%"), exact = Value.text(word.lowercased())
            terms.append(
                "(\(like("s.id", bind(pattern))) OR \(like("s.subject", bind(pattern))) OR v.review = \(bind(exact)) "
                    + "OR \(SharedSQL.renderStatus) = \(bind(exact)))")
        }
        if !filter.statuses.isEmpty {
            terms.append("v.review IN (\(filter.statuses.map { bind(.text($0.rawValue)) }.joined(separator: ", ")))")
        }
        if !filter.renders.isEmpty {
            terms.append("\(SharedSQL.renderStatus) IN (\(filter.renders.map { bind(.text($0.rawValue)) }.joined(separator: ", ")))")
        }
        if let stage = filter.awaitingStage {
            terms.append("v.review = 'pending' AND v.approved_stages = \(bind(.text(stage.approvedBefore)))")
        }
        switch filter.assignee {
        case .named(let name): terms.append("s.id IN (SELECT shot_id FROM assignments WHERE assignee = \(bind(.text(name))))")
        case .nobody: terms.append("s.id NOT IN (SELECT shot_id FROM assignments)")
        case nil: break
        }
        if filter.openNotes {
            terms.append("EXISTS (SELECT 1 FROM notes n WHERE n.shot_id = s.id AND n.version = v.number AND n.parent_id IS NULL AND n.state = 'open')")
        }
        if let minimum = filter.minimumRetakes, minimum > 0 {
            terms.append("(\(Self.retakeCount)) >= \(bind(.int(minimum)))")
        }
        if let since = filter.changedSince {
            terms.append(changed(since: since, by: filter.me))
        }
        let needsVersion = !filter.words.isEmpty || !filter.statuses.isEmpty || !filter.renders.isEmpty || filter.awaitingStage != nil
            || filter.openNotes || filter.changedSince != nil
        return (terms, needsVersion)
    }

    /// Whether someone other than `me` changed the shot after `since`: a new latest version, a
    /// decision on it, a note written or resolved, an assignment.
    mutating func changed(since: Date, by me: String) -> String {
        let time = StoredDate.text(since)
        func t() -> String { bind(.text(time)) }
        func m() -> String { bind(.text(me)) }
        // A time never set (a version not reviewed) compares as NULL: the whole test is false then.
        return """
            COALESCE((v.created_at > \(t()) OR (v.reviewed_at > \(t()) AND COALESCE(v.reviewer, '') <> \(m())) \
            OR EXISTS (SELECT 1 FROM notes n WHERE n.shot_id = s.id AND ((n.created_at > \(t()) AND n.author <> \(m())) \
            OR (n.changed_at > \(t()) AND COALESCE(n.changed_by, '') <> \(m())))) \
            OR EXISTS (SELECT 1 FROM assignments a WHERE a.shot_id = s.id AND a.assigned_at > \(t()) AND a.assigned_by <> \(m()))), \(dialect == .sqlite ? "0" : "false"))
            """
    }

    /// Retakes asked of shot `s`: changes requested that no undo took back (as `ReviewPolicy.retakes`).
    static let retakeCount = "SELECT COUNT(*) FROM review_log r WHERE r.shot_id = s.id AND \(SharedSQL.countedRetake)"

    private mutating func bind(_ value: Value) -> String {
        values.append(value)
        switch dialect {
        case .sqlite: return "?"
        case .postgres: return "$\(bound + values.count)"
        }
    }

    private func like(_ column: String, _ pattern: String) -> String {
        switch dialect {
        case .sqlite: return "\(column) LIKE \(pattern) ESCAPE '\\'"
        case .postgres: return "\(column) ILIKE \(pattern)"
        }
    }

    /// `%`, `_` and the escape itself match themselves.
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
