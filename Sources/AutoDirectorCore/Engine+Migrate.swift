import Foundation

extension Engine {
    /// Copies the SQLite project in `projectDirectory` into the empty PostgreSQL database
    /// `target` and checks the copy (SPEC §16: a project moves to a shared database and nothing
    /// is lost). The project is only read; images stay in its directory, where the shared
    /// project's machines find them as before. All or nothing: see `ProjectMigration`.
    public static func migrate(
        projectDirectory: URL, to target: DatabaseURL, progress: (MigrationProgress) -> Void = { _ in }
    ) throws -> MigrationReport {
        try ProjectMigration(source: try MigrationSource(projectDirectory: projectDirectory), target: target).run(progress: progress)
    }
}
