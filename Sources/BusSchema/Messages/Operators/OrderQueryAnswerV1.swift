/// Version 1 of `bus.order-query-answer`, still read: the hold reasons of
/// `shop.order-acceptance` v2. Version 2 added `credit_limit_exceeded`, which the
/// compatibility rule counts as breaking, hence a new version rather than an edit.
/// A `PreviousVersion`: readers take `answer` and handle one type.
public struct OrderQueryAnswerV1: PreviousVersion {
    /// Version 1.
    public static let schemaVersion = 1
    /// What the message means, in version 1.
    public static let summary = OrderQueryAnswer.summary + " (version 1, still read)"
    /// The version-1 shape.
    public static let schema = OrderQueryAnswer.shape(version: 1)

    /// The message, as the current version holds it.
    public var answer: OrderQueryAnswer
    /// `answer`.
    public var current: OrderQueryAnswer { answer }

    /// The version-1 message of `answer`.
    public init(_ answer: OrderQueryAnswer) {
        self.answer = answer
    }
}
