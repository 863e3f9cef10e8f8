import ArgumentParser
import AutoDirectorCore
import Foundation

/// The versions a review action applies to, and who acts.
struct ReviewTargets: ParsableArguments {
    @Argument(help: "One or more shot ids (several: one bulk action, all or nothing).")
    var shots: [String] = []

    @Option(
        name: .customLong("ids-from"),
        help: ArgumentHelp(
            "Also read shot ids from FILE, one per line (- for standard input).",
            discussion: "For thousands of shots: a long argument list is slow to parse.", valueName: "FILE"))
    var idsFrom: String?

    @Option(name: .long, help: "The version (default: the latest); only with a single shot.")
    var version: Int?

    @Option(name: .long, help: "Who reviews (default: $USER).")
    var reviewer: String?

    func validate() throws {
        if shots.isEmpty && idsFrom == nil { throw ValidationError("Name at least one shot (or --ids-from FILE).") }
        if version != nil && shots.count > 1 { throw ValidationError("--version applies to a single shot.") }
        if version != nil && idsFrom != nil { throw ValidationError("--version applies to a single shot, not to a list from --ids-from.") }
    }

    /// The shots named, the arguments' first, then the list's lines (blank lines skipped).
    func allShots() throws -> [String] {
        guard let idsFrom else { return shots }
        let name = idsFrom == "-" ? "Standard input" : TextSanitizer.quoted(idsFrom)
        var data = try Self.read(idsFrom)
        // A byte-order mark would stick to the first id.
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandFailure(message: "\(name) is not UTF-8 text; nothing was changed.") }
        let listed = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !listed.isEmpty || !shots.isEmpty else { throw CommandFailure(message: "\(name) names no shot; nothing was changed.") }
        return shots + listed
    }

    /// The most an id list may hold: 64 MB is over a million ids.
    static let listLimit = 64 << 20

    /// The list's bytes: a file, a pipe or `/dev/stdin` (read once, so not only regular files),
    /// or standard input for `-`; at most `listLimit`.
    static func read(_ path: String) throws -> Data {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw unreadable(path, "no such file")
            }
            if isDirectory.boolValue { throw unreadable(path, "it is a directory, not a file") }
            guard let opened = FileHandle(forReadingAtPath: path) else { throw unreadable(path, "permission denied") }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        var data = Data()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                data += chunk
                guard data.count <= listLimit else {
                    throw CommandFailure(message: "\(path == "-" ? "Standard input" : TextSanitizer.quoted(path)) is larger than 64 MB; split the list.")
                }
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw unreadable(path, "the list could not be read")
        }
        return data
    }

    private static func unreadable(_ path: String, _ reason: String) -> CommandFailure {
        CommandFailure(message: "Cannot read \(path == "-" ? "standard input" : TextSanitizer.visible(path)): \(reason).")
    }
}

struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve rendered shot versions (several shots: one bulk action).")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var targets: ReviewTargets

    @Option(name: .long, help: "An optional note.")
    var note: String?

    func run() throws {
        // The list first: a wrong file is reported before the project is opened.
        let shots = try targets.allShots()
        let outcome = try project.engine().approve(shots, version: targets.version, note: note, reviewer: Reviewer.resolve(targets.reviewer))
        ReviewReport.print(outcome, verb: "Approved", json: output.json)
    }
}

struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Reject shot versions with a note saying why (several shots: one bulk action).")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var targets: ReviewTargets

    @Option(name: .long, help: "Why it is rejected (required).")
    var note: String

    func run() throws {
        let shots = try targets.allShots()
        let outcome = try project.engine().reject(shots, version: targets.version, note: note, reviewer: Reviewer.resolve(targets.reviewer))
        ReviewReport.print(outcome, verb: "Rejected", json: output.json)
    }
}

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Undo your latest review action (logged as a new action).")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Whose action to undo (default: $USER).")
    var reviewer: String?

    func run() throws {
        let outcome = try project.engine().undoLastReview(reviewer: Reviewer.resolve(reviewer))
        ReviewReport.print(outcome, verb: "Restored", json: output.json)
    }
}

enum ReviewReport {
    static func print(_ outcome: ReviewOutcome, verb: String, json: Bool) {
        if json {
            func list(_ targets: [ReviewTarget]) -> JSONValue {
                .array(targets.map { ["shot_id": .string($0.shotID), "version": .number(Double($0.version))] })
            }
            Print.json([
                "action_id": outcome.actionID.map { .number(Double($0)) } ?? .null,
                "changed": list(outcome.changed), "unchanged": list(outcome.unchanged),
            ])
            return
        }
        for target in outcome.changed { Print.line("\(verb) \(TextSanitizer.visible(target.shotID)) v\(target.version)") }
        for target in outcome.unchanged { Print.line("\(TextSanitizer.visible(target.shotID)) v\(target.version) already had that status; nothing logged") }
    }
}
