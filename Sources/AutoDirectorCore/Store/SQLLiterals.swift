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
