/// A record an action needed was not in the database (a shot, a version of one, a note); the engine
/// reports it as the `EngineError` a user can act on.
enum MissingRecord: Error, Equatable {
    case shot(String)
    case version(String, Int)
    case note(Int64)
}
