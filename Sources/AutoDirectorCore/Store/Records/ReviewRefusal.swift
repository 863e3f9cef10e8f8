/// A review action the policy refused: nothing was stored.
struct ReviewRefusal: Error {
    var reasons: [EngineError]
}
