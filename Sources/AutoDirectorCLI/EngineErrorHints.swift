import AutoDirectorCore

/// What to type next, for the engine's errors as the command line reports them: the engine's
/// sentences name no command (the TUI and the service have none of these), so the hint is
/// the command line's own.
extension EngineError {
    var commandLineHint: String? {
        switch self {
        case .unknownShot: return "List them with `autodirector shots`."
        case .unknownVersion(let id, _): return "List them with `autodirector versions \(TextSanitizer.visible(id))`."
        case .noteRequired: return "Give it with --note TEXT."
        case .notOnHold(let id, _, _): return "See its status with `autodirector show \(TextSanitizer.visible(id))`."
        case .emptyPatch: return "Or give a patch file with --file F."
        case .unknownJob: return "List them with `autodirector jobs`."
        case .unknownNote: return "List a shot's notes with `autodirector notes SHOT`."
        case .renderBusy: return "Watch it with `autodirector jobs`, or wait for it to finish."
        case .shotNotPlanned: return "Plan it with `autodirector plan BATCH`."
        case .shotIDTaken: return "Name the new shot with --id ID."
        case .stageOutOfOrder(_, _, _, let awaiting): return "Approve it first with --stage \(awaiting)."
        // One shot refused: its reason's hint.
        case .reviewRefused(let reasons) where reasons.count == 1: return reasons[0].commandLineHint
        default: return nil
        }
    }

    /// The sentence and its hint, as the command line prints them.
    var commandLineMessage: String {
        commandLineHint.map { description + " " + $0 } ?? description
    }
}

extension ApprovalStagesError {
    var commandLineMessage: String {
        switch self {
        case .stageRequired(let names): return description + " Give it with --stage \(names.joined(separator: "|"))."
        case .unknownStage: return description + " See them with `autodirector config stages`."
        default: return description
        }
    }
}
