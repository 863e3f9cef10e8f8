import Foundation

/// One ingested file (SPEC §1). Its rows are kept verbatim in the store.
public struct Batch: Sendable, Equatable, Codable {
    public var id: String
    public var sourceName: String
    public var sourceSHA256: String
    public var format: InputFormat
    /// Column names for CSV input, in file order; empty for storyboards.
    public var header: [String]
    public var rowCount: Int
    public var createdAt: Date
    /// The preset of the latest plan, if any.
    public var preset: String?
    public var plannedAt: Date?

    public init(
        id: String, sourceName: String, sourceSHA256: String, format: InputFormat, header: [String],
        rowCount: Int, createdAt: Date, preset: String? = nil, plannedAt: Date? = nil
    ) {
        self.id = id
        self.sourceName = sourceName
        self.sourceSHA256 = sourceSHA256
        self.format = format
        self.header = header
        self.rowCount = rowCount
        self.createdAt = createdAt
        self.preset = preset
        self.plannedAt = plannedAt
    }
}

public enum InputFormat: String, Sendable, Codable {
    case csv
    case jsonArray = "json"
    case jsonLines = "jsonl"
}
