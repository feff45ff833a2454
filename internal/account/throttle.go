package account

import "time"

// IPThrottleFactor: a client address may fail this many times the per-account limit, so that a
// shared address (an agency, a school) is not locked out by a few people mistyping.
const IPThrottleFactor = 4

// Throttle rules (issue 8). Each takes the attempts within the window, newest first, and returns
// when the attempt at hand may be made: the zero time when it may be made now.

// LoginThrottle: a client address that failed IPThrottleFactor × maxAttempts times waits, on any
// account. An account that failed maxAttempts times waits too, but only for the addresses that
// failed within the window: a right password from an address with no failure goes through, so
// that nobody can lock someone else out by typing wrong passwords for their e-mail.
func LoginThrottle(accountFailures, clientFailures []time.Time, maxAttempts int, window time.Duration) time.Time {
	until := retryAt(clientFailures, IPThrottleFactor*maxAttempts, window)
	if len(clientFailures) > 0 {
		until = later(until, retryAt(accountFailures, maxAttempts, window))
	}
	return until
}

// SignupThrottle: the signup forms tell whether an e-mail has an account, so they are counted as
// logins are: maxAttempts per e-mail and IPThrottleFactor × maxAttempts per client address.
func SignupThrottle(emailAttempts, clientAttempts []time.Time, maxAttempts int, window time.Duration) time.Time {
	return later(retryAt(emailAttempts, maxAttempts, window), retryAt(clientAttempts, IPThrottleFactor*maxAttempts, window))
}

// retryAt is when fewer than limit of attempts (newest first, all within the window) remain in
// the window: when the limit-th newest leaves it. Zero with fewer than limit attempts.
func retryAt(attempts []time.Time, limit int, window time.Duration) time.Time {
	if len(attempts) < limit {
		return time.Time{}
	}
	return attempts[limit-1].Add(window)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
