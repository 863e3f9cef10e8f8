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

    init() {}

    /// The same list, for commands that take shots as the review commands do.
    init(shots: [String], idsFrom: String?) {
        self.shots = shots
        self.idsFrom = idsFrom
    }

    func validate() throws {
        if shots.isEmpty && idsFrom == nil { throw ValidationError("Name at least one shot (or --ids-from FILE).") }
        if version != nil && shots.count > 1 { throw ValidationError("--version applies to a single shot.") }
        if version != nil && idsFrom != nil { throw ValidationError("--version applies to a single shot, not to a list from --ids-from.") }
    }

    /// The shots named, the arguments' first, then the list's lines (blank lines skipped).
    func allShots() throws -> [String] {
        guard let idsFrom else { return shots }
        let name = idsFrom == "-" ? "Standard input" : TextSanitizer.quoted(idsFrom)
        // 64 MB is over a million ids.
        var data = try idsFrom == "-"
            ? FileInput.readOnce(FileHandle.standardInput, named: "standard input", limit: 64 << 20)
            : FileInput.readOnce(URL(fileURLWithPath: idsFrom), limit: 64 << 20)
        // A byte-order mark would stick to the first id.
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandFailure(message: "\(name) is not UTF-8 text; nothing was changed.") }
        let listed = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !listed.isEmpty || !shots.isEmpty else { throw CommandFailure(message: "\(name) names no shot; nothing was changed.") }
        return shots + listed
    }
}

/// A review command: the engine's `ReviewAction` of the same name on the shots named.
protocol ReviewActionCommand: ParsableCommand {
    static var action: ReviewAction { get }
    var project: ProjectOptions { get }
    var output: OutputOptions { get }
    var targets: ReviewTargets { get }
    var noteText: String? { get }
    /// Where the note is pinned (a retake's).
    var notePin: NotePin? { get throws }
    /// The approval stage (an approval's, in a project with stages).
    var approvalStage: String? { get }
}

extension ReviewActionCommand {
    func run() throws {
        // The list first: a wrong file is reported before the project is opened.
        let shots = try targets.allShots()
        let outcome = try project.engine().review(
            Self.action, shots, version: targets.version, note: noteText, pin: notePin, stage: approvalStage,
            reviewer: Reviewer.resolve(targets.reviewer))
        ReviewReport.print(outcome, verb: Self.action.past, suffix: approvalStage.map { " at \($0)" } ?? "", json: output.json)
    }

    var notePin: NotePin? { nil }
    var approvalStage: String? { nil }
}

struct ApproveCommand: ReviewActionCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve rendered shot versions (several shots: one bulk action).")
    static let action = ReviewAction.approve

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var targets: ReviewTargets

    @Option(name: .long, help: "An optional note.")
    var note: String?
    var noteText: String? { note }

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The approval stage this approval is for (a project with stages: `config stages`).",
            discussion: "A shot is approved once every stage has approved it, in order.", valueName: "STAGE"))
    var stage: String?
    var approvalStage: String? { stage }
}

struct RejectCommand: ReviewActionCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Reject shot versions with a note saying why (several shots: one bulk action).")
    static let action = ReviewAction.reject

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var targets: ReviewTargets

    @Option(name: .long, help: "Why it is rejected (required).")
    var note: String
    var noteText: String? { note }
}

struct RetakeCommand: ReviewActionCommand {
    static let configuration = CommandConfiguration(
        commandName: "retake",
        abstract: "Request changes on shot versions, with a note saying what to change (a retake; several shots: one bulk action).")
    static let action = ReviewAction.retake

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var targets: ReviewTargets

    @Option(name: .long, help: "What to change (required); it becomes a note the next version answers.")
    var note: String
    var noteText: String? { note }

    @OptionGroup var pin: PinOptions
    var notePin: NotePin? { get throws { try pin.notePin } }
}

struct HoldCommand: ReviewActionCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold", abstract: "Put shot versions on hold: no decision, and none awaited until `release` (several shots: one bulk action).")
    static let action = ReviewAction.hold

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var targets: ReviewTargets

    @Option(name: .long, help: "An optional note.")
    var note: String?
    var noteText: String? { note }
}

struct ReleaseCommand: ReviewActionCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Put shot versions on hold back to pending (several shots: one bulk action).")
    static let action = ReviewAction.release

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var targets: ReviewTargets

    @Option(name: .long, help: "An optional note.")
    var note: String?
    var noteText: String? { note }
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
    static func print(_ outcome: ReviewOutcome, verb: String, suffix: String = "", json: Bool) {
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
        for target in outcome.changed { Print.line("\(verb) \(TextSanitizer.visible(target.shotID)) v\(target.version)\(suffix)") }
        for target in outcome.unchanged { Print.line("\(TextSanitizer.visible(target.shotID)) v\(target.version) already had that status; nothing logged") }
    }
}
