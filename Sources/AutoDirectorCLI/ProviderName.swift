import ArgumentParser

/// The render providers a command can name (`--provider`, `FIBO_PROVIDER`).
enum ProviderName: String, ExpressibleByArgument, CaseIterable, Sendable {
    case mock, bria

    static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
