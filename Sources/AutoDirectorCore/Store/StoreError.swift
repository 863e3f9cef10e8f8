/// Why the project database could not be opened or used.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case noProject(String)
    case cannotCreate(String, String)
    case database(String)
    case newerSchema(String, [String])
    case readOnly(String)
    case readOnlyNeedsUpgrade(String, [String])
    case readOnlyUnreadable(String, String)
    /// The shared database cannot be reached (named without its password), and why.
    case unreachable(String, String)
    /// The shared database's server refused to let this URL in (a wrong password or user, a
    /// database that does not exist), in the server's words.
    case refused(String, String)

    /// The database could not be reached: a restart or a network cut, which may pass.
    public var isUnreachable: Bool {
        if case .unreachable = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .noProject(let path):
            return "No project at \(path); ingest a file first (autodirector ingest FILE) or pass --project DIR."
        case .cannotCreate(let path, let reason):
            return "Cannot create the project directory \(path): \(reason)."
        case .newerSchema(let path, let steps):
            return "The project database \(path) was upgraded by a newer AutoDirector (schema \(steps.joined(separator: ", "))); "
                + "install that version to open it."
        case .database(let message):
            return "The project database failed: \(message)."
        case .readOnly(let path):
            return "The project \(path) is read-only (its directory or database cannot be written here); "
                + "it can be read, but this action writes. Nothing was changed."
        case .readOnlyNeedsUpgrade(let path, let steps):
            return "The project database \(path) needs an upgrade (\(steps.joined(separator: ", "))) but is read-only here; "
                + "open it once where it can be written."
        case .unreachable(let location, let reason):
            return "The project database \(location) is unreachable: \(reason). Nothing was changed; try again when it is back."
        case .refused(let location, let reason):
            return "The project database \(location) refused the connection: \(reason). Check the user, password and database name in "
                + "AUTODIRECTOR_DATABASE_URL or --database."
        case .readOnlyUnreadable(let path, let reason):
            return "The project database \(path) is read-only here and cannot be read: \(reason)."
        }
    }
}

