/// A benchmark that could not set itself up (its service did not start, its fake provider
/// could not be reached): the measurement was not made.
public struct BenchError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
