import Foundation

/// Times as the command line's output and the notes' JSON write them.
public enum Timestamp {
    /// ISO 8601 in UTC with milliseconds: stable and sortable.
    public static func milliseconds(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
