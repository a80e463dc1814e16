import Testing
import BusRuntime
import BusTestKit

struct BackoffTests {
    static let policy = Backoff(initial: .milliseconds(100), multiplier: 2, maximum: .seconds(5), jitter: .none)

    @Test("the ceiling doubles from the initial delay and stops at the maximum", arguments: [
        (-3, Duration.milliseconds(100)),
        (0, .milliseconds(100)),
        (1, .milliseconds(100)),
        (2, .milliseconds(200)),
        (3, .milliseconds(400)),
        (6, .milliseconds(3_200)),
        (7, .seconds(5)),
        (1_000, .seconds(5)),
        (Int.max, .seconds(5)),
    ])
    func ceiling(attempt: Int, expected: Duration) {
        #expect(Self.policy.ceiling(forAttempt: attempt) == expected)
    }

    @Test("jitter keeps the delay within its band", arguments: [
        // (jitter, random word, attempt, expected): word 0 is the band's low end, 1 << 63 its middle.
        (Backoff.Jitter.none, UInt64(0), 3, Duration.milliseconds(400)),
        (.none, .max, 3, .milliseconds(400)),
        (.equal, 0, 3, .milliseconds(200)),
        (.equal, 1 << 63, 3, .milliseconds(300)),
        (.equal, 0, 50, .milliseconds(2_500)),
        (.equal, 1 << 63, 50, .milliseconds(3_750)),
        (.full, 0, 3, .zero),
        (.full, 1 << 63, 3, .milliseconds(200)),
        (.full, 1 << 63, 50, .milliseconds(2_500)),
    ])
    func jitter(jitter: Backoff.Jitter, word: UInt64, attempt: Int, expected: Duration) {
        var policy = Self.policy
        policy.jitter = jitter
        var generator = ConstantGenerator(word: word)
        #expect(policy.delay(forAttempt: attempt, using: &generator) == expected)
    }

    @Test("the top of the random range stays just under the ceiling", arguments: [Backoff.Jitter.equal, .full])
    func topOfRange(jitter: Backoff.Jitter) {
        var policy = Self.policy
        policy.jitter = jitter
        var generator = ConstantGenerator(word: .max)
        let delay = policy.delay(forAttempt: 4, using: &generator)
        #expect(delay <= .milliseconds(800) && delay > .milliseconds(799))
    }

    @Test("odd policies never trap and stay within [0, maximum]", arguments: [
        Backoff(initial: .seconds(-1), multiplier: 2, maximum: .seconds(1), jitter: .full),
        Backoff(initial: .seconds(10), multiplier: 2, maximum: .seconds(1), jitter: .equal),
        Backoff(initial: .milliseconds(1), multiplier: .infinity, maximum: .seconds(1), jitter: .none),
        Backoff(initial: .milliseconds(1), multiplier: .nan, maximum: .seconds(1), jitter: .none),
        Backoff(initial: .milliseconds(1), multiplier: 0.5, maximum: .seconds(1), jitter: .none),
        Backoff(initial: .milliseconds(1), multiplier: 1.000_000_1, maximum: .seconds(1), jitter: .equal),
    ])
    func oddPolicies(policy: Backoff) {
        var generator = SplitMix64(seed: 7)
        for attempt in [0, 1, 2, 10, 100, Int.max] {
            let delay = policy.delay(forAttempt: attempt, using: &generator)
            #expect(delay >= .zero && delay <= .seconds(1))
        }
    }

    @Test("a seeded generator replays the same delays")
    func replay() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let policy = Backoff.transientFailures
        let a = (1...20).map { policy.delay(forAttempt: $0, using: &first) }
        let b = (1...20).map { policy.delay(forAttempt: $0, using: &second) }
        #expect(a == b)
        #expect(a.allSatisfy { $0 <= .seconds(10) })
    }
}
