/// The two implementations of the project store, as tests name them. Tests that take
/// `StoreKind.all` as arguments are the store's conformance suite: the same steps and the same
/// expected results on the embedded SQLite file and on a shared PostgreSQL database (a fresh
/// database on the test process's throwaway server, see `ThrowawayPostgres.freshDatabase`).
public enum StoreKind: String, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    /// Both where PostgreSQL's server is installed; SQLite alone on a developer's machine without
    /// it (a test says so in one line, and fails under CI).
    public static let all: [StoreKind] = ThrowawayPostgres.isAvailable ? [.sqlite, .postgres] : [.sqlite]

    public var description: String { rawValue }
}
