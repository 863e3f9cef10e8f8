import Foundation

/// Review state of one version (SPEC §8, §17). The latest audit entry is the status.
public enum ReviewStatus: String, Sendable, Codable, CaseIterable {
    case pending, approved
    /// A retake: close, fix this (a note says what). The shot counts its retakes.
    case changesRequested = "changes_requested"
    /// Final: the shot is dropped (a note says why).
    case rejected
    /// Set aside: no decision yet, and not waiting for one (`release` puts it back to pending).
    case onHold = "on_hold"

    /// As a reviewer says it: "changes requested", "on hold".
    public var label: String { rawValue.replacingOccurrences(of: "_", with: " ") }

    /// For a narrow column: "retake" for changes requested.
    public var shortLabel: String { self == .changesRequested ? "retake" : label }

    /// The statuses a reviewer must give a reason for.
    public var needsNote: Bool { self == .changesRequested || self == .rejected }
}
