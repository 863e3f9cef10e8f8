/// One version a review action applies to: a shot and its version number.
public struct ReviewTarget: Sendable, Equatable, Codable {
    public var shotID: String
    public var version: Int
}
