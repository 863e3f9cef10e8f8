/// What kind of mistake a caller made: something named that does not exist, an action the
/// project's state does not allow now, input the engine's validation refuses, or an input file
/// that cannot be read as what it must be.
public enum CallerErrorKind: Sendable, Equatable {
    case notFound
    case conflict
    /// Input that was read but is refused: a patch that cannot apply or changes nothing, a spec
    /// that breaks a rule or a limit, an unknown preset, a review the policy refuses (a
    /// rejection without a note).
    case invalid
    /// An input file that cannot be read as the batch it must be: not CSV or JSON (broken
    /// quoting or syntax, not UTF-8), or without rows to ingest. The file as a whole is refused.
    case malformed
}

/// An error that says the caller's input is wrong, not that the engine failed. Each face
/// reports it by its kind, in its own terms — the service as 404, 409, 422 or 400, the command
/// line as exit 1 with the sentence — so no face keeps a list of concrete types, and an error
/// type that is the caller's to fix conforms here, beside the others.
public protocol CallerError: Error, CustomStringConvertible {
    var callerKind: CallerErrorKind { get }
}

extension EngineError: CallerError {
    public var callerKind: CallerErrorKind {
        switch self {
        case .unknownBatch, .unknownShot, .unknownVersion, .unknownJob, .unknownNote:
            return .notFound
        case .notRendered, .notOnHold, .stageOutOfOrder, .nothingToUndo, .undoSuperseded, .renderBusy, .shotBusy, .shotNotPlanned, .baseMoved, .shotIDTaken:
            return .conflict
        case .noteRequired, .patchChangesNothing, .emptyPatch, .emptyNote, .noteTooLong, .pinWithoutNote, .invalidAssignee:
            return .invalid
        case .reviewRefused(let reasons):
            // One kind for the action: missing when everything refused was missing.
            let kinds = reasons.map(\.callerKind)
            if kinds.allSatisfy({ $0 == .notFound }) { return .notFound }
            return kinds.contains(.conflict) ? .conflict : .invalid
        }
    }
}

// An input file that cannot be read as a batch: the caller's to fix. Ingest refuses a file as a
// whole (`IngestError` gathers its problems, positioned), as the reference refuses a CSV
// without data rows.
extension IngestError: CallerError { public var callerKind: CallerErrorKind { .malformed } }
extension CSVError: CallerError { public var callerKind: CallerErrorKind { .malformed } }

// Input that was read but cannot be used as given: the caller's to fix.
extension MappingError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension PatchParseError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension NotePinError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension DottedPath.ParseError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension DottedPath.SetError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension JSONPatchError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension JSONPointerError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
// JSON text the caller sent (a whole spec, a patch file) that does not parse: refused as the
// service refuses a JSON body that does not parse (422 `json_invalid`, as the reference's).
extension JSONParseError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension InvalidSpecError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension PlanError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension AssetError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension PatchTooLargeError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
// A render that would pass the budget: the project's state (what is left today) refuses it.
extension BudgetRefusal: CallerError { public var callerKind: CallerErrorKind { .conflict } }
