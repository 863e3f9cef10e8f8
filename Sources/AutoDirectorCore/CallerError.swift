/// What kind of mistake a caller made: something named that does not exist, an action the
/// project's state does not allow now, or input that is invalid.
public enum CallerErrorKind: Sendable, Equatable {
    case notFound
    case conflict
    case invalid
}

/// An error that says the caller's input is wrong, not that the engine failed. Each face
/// reports it by its kind, in its own terms — the service as 404, 409 or 400, the command line
/// as exit 1 with the sentence — so no face keeps a list of concrete types, and an error type
/// that is the caller's to fix conforms here, beside the others.
public protocol CallerError: Error, CustomStringConvertible {
    var callerKind: CallerErrorKind { get }
}

extension EngineError: CallerError {
    public var callerKind: CallerErrorKind {
        switch self {
        case .unknownBatch, .unknownShot, .unknownVersion, .unknownJob:
            return .notFound
        case .notRendered, .nothingToUndo, .undoSuperseded, .renderBusy, .shotBusy, .shotNotPlanned:
            return .conflict
        case .noteRequired, .patchChangesNothing, .emptyPatch:
            return .invalid
        case .reviewRefused(let reasons):
            // One kind for the action: missing when everything refused was missing.
            let kinds = reasons.map(\.callerKind)
            if kinds.allSatisfy({ $0 == .notFound }) { return .notFound }
            return kinds.contains(.conflict) ? .conflict : .invalid
        }
    }
}

// Input that cannot be read or used as given: the caller's to fix.
extension IngestError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension CSVError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension MappingError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension PatchParseError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension DottedPath.ParseError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension DottedPath.SetError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension JSONPatchError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension JSONPointerError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension JSONParseError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension InvalidSpecError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension PlanError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension AssetError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
extension PatchTooLargeError: CallerError { public var callerKind: CallerErrorKind { .invalid } }
