/// Which input columns become the shot id and the subject (SPEC §4). Defaults: `sku` and
/// `product_name`, with `shot_id` and `subject` accepted when the defaults are absent.
public struct ColumnMapping: Sendable, Equatable, Codable {
    public var shotID: String
    public var subject: String

    public static let `default` = ColumnMapping(shotID: "sku", subject: "product_name")

    public init(shotID: String, subject: String) {
        self.shotID = shotID
        self.subject = subject
    }

    /// Parses `shot_id=COLUMN` / `subject=COLUMN` assignments over the default.
    public init(assignments: [String]) throws {
        var mapping = ColumnMapping.default
        for assignment in assignments {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw MappingError(message: "a column mapping is FIELD=COLUMN, e.g. shot_id=sku (got \(TextSanitizer.quoted(assignment)))")
            }
            switch parts[0] {
            case "shot_id": mapping.shotID = parts[1]
            case "subject": mapping.subject = parts[1]
            default: throw MappingError(message: "only shot_id and subject can be mapped (got \(TextSanitizer.quoted(parts[0])))")
            }
        }
        self = mapping
    }

    /// The column to read for each field in a header, honouring the fallbacks.
    func resolve(in header: [String]) -> (shotID: String?, subject: String?) {
        func pick(_ preferred: String, fallback: String, isDefault: Bool) -> String? {
            if header.containsScalars(preferred) { return preferred }
            if isDefault, header.containsScalars(fallback) { return fallback }
            return nil
        }
        return (
            pick(shotID, fallback: "shot_id", isDefault: shotID == ColumnMapping.default.shotID),
            pick(subject, fallback: "subject", isDefault: subject == ColumnMapping.default.subject)
        )
    }
}

public struct MappingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
