package web

// accountRoutes: signup, login, logout, e-mail verification, password reset and change, dashboard.
func (s *Server) accountRoutes() {
	s.handle("GET /signup/{$}", Public, s.signupChoice)
	s.handle("GET /signup/job_seeker", Public, s.signupJobSeekerPage)
	s.handle("POST /signup/job_seeker", Public, s.signupJobSeeker)
	s.handle("GET /signup/job_seeker/sent", Public, s.signupSent)
	s.handle("GET /accounts/verify/{token}", Public, s.verifyEmail)
	s.handle("POST /accounts/verify/resend", Public, s.resendVerification)
	s.handle("GET /accounts/login", Public, s.loginPage)
	s.handle("POST /accounts/login", Public, s.login)
	s.handle("POST /accounts/logout", Public, s.logout)
	s.handle("GET /accounts/password/reset", Public, s.passwordResetPage)
	s.handle("POST /accounts/password/reset", Public, s.passwordReset)
	s.handle("GET /accounts/password/reset/{token}", Public, s.passwordResetConfirmPage)
	s.handle("POST /accounts/password/reset/{token}", Public, s.passwordResetConfirm)
	s.handle("GET /accounts/password/change", LoggedIn, s.passwordChangePage)
	s.handle("POST /accounts/password/change", LoggedIn, s.passwordChange)
	s.handle("GET /dashboard", LoggedIn, s.dashboard)
}
