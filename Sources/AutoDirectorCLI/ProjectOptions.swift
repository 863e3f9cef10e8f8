import ArgumentParser
import AutoDirectorCore
import Foundation

struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "Project directory (default: $AUTODIRECTOR_PROJECT, else ./.autodirector).")
    var project: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A shared project's PostgreSQL database, postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require] "
                + "(default: $AUTODIRECTOR_DATABASE_URL, else the project directory's SQLite file).",
            valueName: "url"))
    var database: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where every machine of a shared project keeps image files: a directory they all mount, or s3://BUCKET/PREFIX "
                + "(endpoint and keys from AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION) "
                + "(default: $AUTODIRECTOR_ARTIFACTS, else the project directory's artifacts/).",
            valueName: "dir|s3-url"))
    var artifacts: String?

    /// The shared database named by `--database` or the environment; nil for the SQLite file.
    func databaseURL() throws -> DatabaseURL? {
        try DatabaseURL.chosen(flag: database, environment: CommandContext.current.environment)
    }

    func engine(create: Bool = false) throws -> Engine {
        let context = CommandContext.current
        let directory = Engine.projectDirectory(flag: project, environment: context.environment)
        let console = context.console
        return try Engine(
            projectDirectory: directory, database: try databaseURL(),
            artifactsLocation: try ArtifactsDirectory.chosen(flag: artifacts, environment: context.environment),
            mode: create ? .create : .existing,
            provider: context.environment["FIBO_PROVIDER"] ?? "mock", clock: context.clock,
            patchLimits: try PatchLimits(environment: context.environment),
            onUpgrade: { steps in console.error("Upgrading the project database (\(steps.joined(separator: ", "))); this runs once.") })
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
}

enum Reviewer {
    static func resolve(_ flag: String?) -> String {
        if let flag, !flag.isEmpty { return flag }
        return CommandContext.current.environment["USER"] ?? "unknown"
    }
}

/// Shorthands for printing from commands.
enum Print {
    static var console: Console { CommandContext.current.console }

    static func line(_ text: String) { console.out(text) }

    /// JSON for people and scripts: invisible and control characters are written as \u escapes,
    /// so data can never act on the terminal, and the JSON stays equal.
    static func json(_ value: JSONValue) { console.out(TextSanitizer.escapingInvisiblesInJSON(JSONWriter.pretty(value))) }

    /// A left-aligned text table; every cell is sanitized (data may hold control characters)
    /// and cut to `maxCellWidth` columns so one long value cannot blow up every row. Widths are
    /// terminal columns (`DisplayWidth`), not characters: an emoji or a CJK character takes two,
    /// so rows holding them still line up.
    static func table(_ header: [String], _ rows: [[String]], maxCellWidth: Int = 48) {
        let cells = rows.map { row in
            row.map { cell -> String in
                // Only what can be shown is escaped, so a megabyte cell costs no more than a short one.
                cut(TextSanitizer.visible(cell, limit: maxCellWidth * 2), to: maxCellWidth)
            }
        }
        var widths = header.map(DisplayWidth.of)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        func render(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - DisplayWidth.of(cell)))
            }.joined(separator: "  ")
        }
        var lines = [render(header)]
        lines.reserveCapacity(cells.count + 1)
        for row in cells { lines.append(render(row)) }
        console.out(lines.joined(separator: "\n"))
    }

    /// `text` cut to at most `columns` terminal columns, ending in "…" when cut.
    static func cut(_ text: String, to columns: Int) -> String {
        guard DisplayWidth.of(text) > columns else { return text }
        var out = ""
        var used = 0
        for character in text {
            let width = DisplayWidth.columns(of: character)
            if used + width > columns - 1 { break }
            out.append(character)
            used += width
        }
        return out + "…"
    }
}

extension Date {
    /// ISO 8601 in UTC with milliseconds: stable and sortable in output.
    var iso8601: String { Timestamp.milliseconds(self) }
}
