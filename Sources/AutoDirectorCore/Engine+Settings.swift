import Foundation

/// A setting of the project's configuration, kept in its database (SPEC §17): every machine and
/// every face of a shared project reads the same.
public enum ProjectSetting: String, CaseIterable, Sendable {
    /// The approval stages, in order: `art, brand`.
    case stages

    /// Checks a value and gives it as stored (`art, brand`).
    func normalized(_ value: String) throws -> String {
        switch self {
        case .stages: return try ApprovalStages(parsing: value).text
        }
    }
}

public struct UnknownSettingError: Error, CallerError, Equatable {
    public var key: String
    public init(key: String) { self.key = key }
    public var callerKind: CallerErrorKind { .invalid }
    public var description: String {
        "No setting \(TextSanitizer.quoted(key)); the project's settings are: \(ProjectSetting.allCases.map(\.rawValue).joined(separator: ", "))."
    }
}

extension Engine {
    /// The approval stages the project is configured with (the single default stage when none).
    public func approvalStages() throws -> ApprovalStages {
        try ApprovalStages(parsing: try store.setting(ProjectSetting.stages.rawValue) ?? "")
    }

    /// Every setting with its value (`stages = art, brand`), the unset ones with an empty value.
    public func projectSettings() throws -> [(setting: ProjectSetting, value: String)] {
        let stored = Dictionary(try store.settings(), uniquingKeysWith: { first, _ in first })
        return ProjectSetting.allCases.map { ($0, stored[$0.rawValue] ?? "") }
    }

    /// Sets a setting from its name and text, checked; an empty text unsets it. Returns the
    /// value as stored. Changing the stages applies to decisions from then on: a version
    /// approved before stays approved.
    @discardableResult
    public func setProjectSetting(_ key: String, to value: String) throws -> String {
        guard let setting = ProjectSetting(rawValue: key) else { throw UnknownSettingError(key: key) }
        let normalized = try setting.normalized(value)
        try store.setSetting(setting.rawValue, to: normalized.isEmpty ? nil : normalized)
        return normalized
    }
}

extension Engine {
    /// Records the reviewer's visit to the project now and returns their previous one (nil: the
    /// first): what changed since then is "new" to them (`ShotQuery.lastVisit`).
    public func recordVisit(reviewer: String) throws -> Date? {
        try store.recordVisit(reviewer: reviewer, at: clock())
    }

    /// The reviewer's latest visit, left as it is (the command line's `new`).
    public func lastVisit(reviewer: String) throws -> Date? {
        try store.lastVisit(reviewer: reviewer)
    }
}
