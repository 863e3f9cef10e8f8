/// A failed render attempt, classified for the retry policy (SPEC §7).
public struct RenderFailure: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// 429, 5xx, network errors, timeouts: worth another attempt, after `retryAfter` seconds
        /// when the provider said so.
        case retryable(retryAfter: Double?)
        /// 4xx and the like: retrying cannot help.
        case terminal
        /// Refused by the provider's moderation (Bria 422): a final outcome, not a fault.
        case blocked
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public var isRetryable: Bool {
        if case .retryable = kind { return true }
        return false
    }
}
