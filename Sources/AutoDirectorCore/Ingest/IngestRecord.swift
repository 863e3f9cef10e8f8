/// One input row after ingest, before planning.
public enum IngestItem: Sendable, Equatable {
    /// A record of attributes (a CSV row or a storyboard record) for the planner.
    case record(IngestRecord)
    /// A complete shot from a storyboard (internal or structured-prompt mode), planned as given.
    case shot(line: Int, spec: JSONObject)

    public var line: Int {
        switch self {
        case .record(let record): return record.line
        case .shot(let line, _): return line
        }
    }

    public var shotID: String {
        switch self {
        case .record(let record): return record.shotID
        case .shot(_, let spec): return spec["shot_id"]?.stringValue ?? ""
        }
    }
}

public struct IngestRecord: Sendable, Equatable {
    public var line: Int
    public var shotID: String
    public var subject: String
    /// Every other column, in file order, with its cell text (empty cells left out).
    public var attributes: JSONObject

    /// The identity part of the shot planned from this record (see `SpecParts`).
    public var identity: JSONObject {
        var identity = JSONObject()
        identity["shot_id"] = .string(shotID)
        identity["subject"] = .string(subject)
        if !attributes.isEmpty { identity["attributes"] = .object(attributes) }
        return identity
    }

    public init(line: Int, shotID: String, subject: String, attributes: JSONObject) {
        self.line = line
        self.shotID = shotID
        self.subject = subject
        self.attributes = attributes
    }
}
