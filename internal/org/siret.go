package org

import "strings"

// SIRET, SIREN and SAFIR validators (actors.md §2.4).

const (
	// LaPosteSIREN: La Poste's establishments do not follow the Luhn key; their SIRET digits add
	// up to a multiple of 5 instead (INSEE rule).
	LaPosteSIREN = "356000000"

	MsgSIRETLength = "Le numéro SIRET doit comporter 14 chiffres."
	MsgSIRETKey    = "Ce numéro SIRET n'est pas valide (clé de contrôle)."
	MsgSIRENLength = "Le numéro SIREN doit comporter 9 chiffres."
	MsgSIRENKey    = "Ce numéro SIREN n'est pas valide (clé de contrôle)."
	MsgSAFIR       = "Le code SAFIR doit comporter 5 chiffres."
)

// NormalizeSIRET drops the spaces people type between digit groups ("123 456 789 00012").
func NormalizeSIRET(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// SIRETProblem returns the French reason why siret (already normalized) is not a valid SIRET, or
// "" when it is.
func SIRETProblem(siret string) string {
	if len(siret) != 14 || !allDigits(siret) {
		return MsgSIRETLength
	}
	if luhn(siret) {
		return ""
	}
	if strings.HasPrefix(siret, LaPosteSIREN) && digitSum(siret)%5 == 0 {
		return ""
	}
	return MsgSIRETKey
}

// SIRENProblem returns the French reason why siren is not a valid SIREN, or "".
func SIRENProblem(siren string) string {
	if len(siren) != 9 || !allDigits(siren) {
		return MsgSIRENLength
	}
	if !luhn(siren) {
		return MsgSIRENKey
	}
	return ""
}

// SIREN is the company part of a SIRET (its first 9 digits).
func SIREN(siret string) string {
	if len(siret) < 9 {
		return siret
	}
	return siret[:9]
}

// SAFIRProblem returns the French reason why code is not a SAFIR code (5 digits), or "".
func SAFIRProblem(code string) string {
	if len(code) != 5 || !allDigits(code) {
		return MsgSAFIR
	}
	return ""
}

// WithLuhnKey completes 13 digits (or 8 for a SIREN) with the Luhn check digit: fixtures and
// demo data use it to write valid numbers.
func WithLuhnKey(digits string) string {
	for k := byte('0'); k <= '9'; k++ {
		if luhn(digits + string(k)) {
			return digits + string(k)
		}
	}
	return digits
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// luhn checks the Luhn key: from the right, every second digit is doubled (minus 9 above 9), and
// the sum must be a multiple of 10.
func luhn(s string) bool {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func digitSum(s string) int {
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += int(s[i] - '0')
	}
	return sum
}
