/// A fault the fake server injects into one render. Faults are queued and each is taken by the
/// next submit; a fault of a later step (status, image) then fires once on that request.
public enum FakeBriaFault: Sendable, Equatable {
    /// The submit is answered 429, with a Retry-After of this many seconds when given.
    case rateLimited(retryAfter: Int?)
    /// The submit is answered with this 5xx code.
    case serverError(Int)
    /// The submit is answered only after this many milliseconds.
    case slowSubmit(milliseconds: Int)
    /// The submit is refused by content moderation (422).
    case moderation
    /// The submit is answered 202 with a body that is not JSON.
    case malformedSubmit
    /// The status reports ERROR with this code.
    case statusError(code: Int)
    /// The status reports UNKNOWN once.
    case statusUnknown
    /// The status poll is answered with this 5xx code once.
    case statusServerError(Int)
    /// The status poll is answered 200 with a body that is not JSON, once.
    case malformedStatus
    /// The image URL answers 404 once, as an expired URL does.
    case expiredImage
    /// The image is served cut in half once (a complete HTTP answer with an incomplete PNG).
    case truncatedImage
    /// The render completes, but its result names another seed and a structured prompt with
    /// one field changed than were sent, and its picture is the other seed's (a render that
    /// would not reproduce).
    case drift
}
