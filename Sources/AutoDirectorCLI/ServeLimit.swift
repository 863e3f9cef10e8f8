import ArgumentParser
import AutoDirectorCore

/// A limit of `serve` given by an option, else by its environment variable, else its default.
struct ServeLimit: Sendable {
    var option: String
    var variable: String
    var range: ClosedRange<Double>
    var fallback: Double
    /// A count (no fraction), not a duration.
    var whole = false
    var read: @Sendable (ServeCommand) -> Double?

    func check(_ command: ServeCommand) throws {
        if let value = read(command), !range.contains(value) { throw ValidationError("\(option) must be between \(Self.number(range.lowerBound)) and \(Self.number(range.upperBound)).") }
    }

    func value(for command: ServeCommand, _ environment: [String: String]) throws -> Double {
        if let given = read(command) { return given }
        guard let text = environment[variable] else { return fallback }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), range.contains(value), !whole || value == value.rounded() else {
            let kind = whole ? "a whole number" : "a number"
            throw CommandFailure(message: "\(variable) must be \(kind) from \(Self.number(range.lowerBound)) to \(Self.number(range.upperBound)) (got \(TextSanitizer.quoted(text))).")
        }
        return value
    }

    static func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}

extension ServeCommand {
    static let maxJSONKB = ServeLimit(option: "--max-json-kb", variable: "AUTODIRECTOR_MAX_JSON_KB", range: 1...1_048_576, fallback: 1024, whole: true) { $0.maxJSONKB.map(Double.init) }
    static let jsonParses = ServeLimit(option: "--json-parses", variable: "AUTODIRECTOR_JSON_PARSES", range: 1...256, fallback: 4, whole: true) { $0.jsonParses.map(Double.init) }
    static let bodyTimeout = ServeLimit(option: "--body-timeout", variable: "AUTODIRECTOR_BODY_TIMEOUT", range: 0.1...86_400, fallback: 60) { $0.bodyTimeout }
    static let shutdownGrace = ServeLimit(option: "--shutdown-grace", variable: "AUTODIRECTOR_SHUTDOWN_GRACE", range: 0...3600, fallback: 5) { $0.shutdownGrace }
    static let limits = [maxJSONKB, jsonParses, bodyTimeout, shutdownGrace]
}
