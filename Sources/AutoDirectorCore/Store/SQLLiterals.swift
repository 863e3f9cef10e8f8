/// States written into SQL from their enums, so a query cannot drift from the model's spelling
/// (raw values are fixed identifiers: no quoting is ever needed, and none is user data).
extension RenderJob.State {
    var sql: String { "'\(rawValue)'" }
}

extension JobItem.State {
    var sql: String { "'\(rawValue)'" }
}

extension Sequence where Element == RenderJob.State {
    /// `('queued', 'running')`, for `IN`.
    var sql: String { "(" + map(\.sql).joined(separator: ", ") + ")" }
}

extension Sequence where Element == JobItem.State {
    var sql: String { "(" + map(\.sql).joined(separator: ", ") + ")" }
}

/// A list as one bound argument, for `IN (SELECT value FROM json_each(?))`: any number of values
/// (SQLite caps bound parameters), never spliced into the SQL.
enum SQLiteList {
    static func argument(_ values: [String]) -> String { JSONWriter.compact(.array(values.map(JSONValue.string))) }
    static func argument(_ values: [Int64]) -> String { JSONWriter.compact(.array(values.map { JSONValue.number(Double($0)) })) }
}
