import Foundation

/// Review state of one version (SPEC §8). The latest audit entry is the status.
public enum ReviewStatus: String, Sendable, Codable, CaseIterable {
    case pending, approved, rejected
}
