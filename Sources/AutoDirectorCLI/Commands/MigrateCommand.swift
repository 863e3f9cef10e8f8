import ArgumentParser
import AutoDirectorCore
import Foundation

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the project's SQLite database into an empty PostgreSQL database, and check the copy.",
        discussion: """
            The project (--project DIR, else $AUTODIRECTOR_PROJECT) is only read. The copy is one
            transaction: the target is either left empty or holds the whole project, with every
            table's row count and every version hash checked. A database that holds anything of a
            project is refused. Images stay in the project directory. Afterwards open the project
            with --database URL or $AUTODIRECTOR_DATABASE_URL.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The empty PostgreSQL database, postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require].",
            valueName: "url"))
    var to: String

    func validate() throws {
        // The message names what is wrong with the URL, never the URL (it may hold a password).
        do { _ = try DatabaseURL(to) } catch let error as DatabaseURLError { throw ValidationError("--to: \(error.description)") }
        if project.database != nil {
            throw ValidationError("migrate copies the project directory's SQLite database; name the PostgreSQL database with --to, not --database.")
        }
    }

    func run() throws {
        let context = CommandContext.current
        let console = context.console
        // The source is always the SQLite file, even where $AUTODIRECTOR_DATABASE_URL is set
        // (often to the very database being filled).
        let directory = Engine.projectDirectory(flag: project.project, environment: context.environment)
        let report = try Engine.migrate(projectDirectory: directory, to: try DatabaseURL(to)) { event in
            switch event {
            case .copied(let table, let rows, let seconds):
                console.progress("migrate: \(table): \(rows) row\(rows == 1 ? "" : "s") (\(String(format: "%.2f", seconds)) s)\n")
            case .verifying:
                console.progress("migrate: checking row counts and version hashes\n")
            }
        }
        if output.json {
            Print.json([
                "source": .string(report.source), "target": .string(report.target), "schema": .string(report.schema),
                "tables": .object(JSONObject(report.tables.map { JSONMember($0.name, .number(Double($0.rows))) })),
                "version_hashes_match": .number(Double(report.versionHashes)), "seconds": .number(report.seconds),
            ])
            return
        }
        Print.line("Migrated \(TextSanitizer.visible(report.source)) to \(TextSanitizer.visible(report.target)) (schema \(report.schema)).")
        Print.table(["table", "rows"], report.tables.map { [$0.name, String($0.rows)] })
        Print.line("\(report.versionHashes) version hash\(report.versionHashes == 1 ? "" : "es") match.")
        Print.line(String(format: "Done in %.2f s. Images stay in %@.", report.seconds, TextSanitizer.visible(directory.path)))
    }
}
