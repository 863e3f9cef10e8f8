/// Why a project could not be migrated to PostgreSQL. In every case the target database was
/// left as it was: the copy is one transaction, rolled back on any failure.
public enum MigrationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The target already holds a project, or part of one (named without its password).
    case targetNotEmpty(String, found: [String])
    /// The SQLite project needs a schema upgrade first: `migrate` only reads it.
    case sourceNeedsUpgrade(String, [String])
    /// A table of the SQLite project has columns this version does not know how to copy.
    case sourceSchemaUnknown(String, table: String)
    /// A table's row count differs after the copy (source rows, target rows).
    case rowCountMismatch(table: String, source: Int, target: Int)
    /// The versions' (shot, number, hash) triples differ after the copy.
    case versionHashMismatch(versions: Int)

    public var description: String {
        switch self {
        case .targetNotEmpty(let target, let found):
            return "The database \(target) is not empty (it holds \(found.joined(separator: ", "))); a project is migrated only into an "
                + "empty database. Nothing was written; create a new database for it."
        case .sourceNeedsUpgrade(let path, let steps):
            return "The project database \(path) needs an upgrade (\(steps.joined(separator: ", "))) before it can be migrated, and "
                + "migrating only reads it. Open the project once with this AutoDirector to upgrade it, then migrate again."
        case .sourceSchemaUnknown(let path, let table):
            return "The project database \(path) has a table \(TextSanitizer.quoted(table)) whose columns this AutoDirector cannot "
                + "copy. Nothing was written."
        case .rowCountMismatch(let table, let source, let target):
            return "The copy of \(table) has \(target) rows where the project has \(source). Nothing was written."
        case .versionHashMismatch(let versions):
            return "The copied versions' hashes differ from the project's (\(versions) versions compared). Nothing was written."
        }
    }
}
