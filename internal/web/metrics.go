package web

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"emplois/internal/platform/httpx"
	"emplois/internal/search"
)

// metrics are the Prometheus series of one Server. Each server has its own registry, so that
// tests building several servers in one process never collide on registration.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "emplois_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status class.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "emplois_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern and status class.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "status"}),
	}
	m.registry.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// watchSearchIndex reports the updates of the search index (internal/search) on each instance,
// at its next search after a change: whole builds (a change of reference data) and applies (a
// change of some companies' rows, candidatures included).
func (m *metrics) watchSearchIndex(svc *search.Service) {
	m.registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "emplois_search_index_builds_total",
			Help: "Builds of the in-memory search index since the start.",
		}, func() float64 { n, _ := svc.IndexBuilds(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "emplois_search_index_last_build_seconds",
			Help: "Time the last build of the in-memory search index took.",
		}, func() float64 { _, d := svc.IndexBuilds(); return d.Seconds() }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "emplois_search_index_applies_total",
			Help: "Changes of some companies applied to the in-memory search index since the start.",
		}, func() float64 { n, _, _ := svc.IndexApplies(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "emplois_search_index_last_apply_seconds",
			Help: "Time the last application of changes to the in-memory search index took.",
		}, func() float64 { _, d, _ := svc.IndexApplies(); return d.Seconds() }))
}

// instrument counts and times every request. The route label is the mux pattern that matches
// ("GET /company/{id}/card"), never the raw path: raw paths hold identifiers, which would make
// the series unbounded. Requests that match no pattern are labelled "unmatched".
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		_, route := s.router.Mux().Handler(r)
		if route == "" {
			route = "unmatched"
		}
		rec := &httpx.StatusRecorder{ResponseWriter: w}
		defer func() {
			status := rec.Status
			if status == 0 {
				status = http.StatusOK
			}
			class := strconv.Itoa(status/100) + "xx"
			s.metrics.requests.WithLabelValues(route, class).Inc()
			s.metrics.duration.WithLabelValues(route, class).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

// metricsHandler serves the Prometheus exposition. When EMPLOIS_METRICS_TOKEN is set, the
// scraper must send it as a bearer token; otherwise the route is open and production should
// restrict it at the load balancer.
func (s *Server) metricsHandler() http.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
	want := []byte("Bearer " + s.svc.Config.MetricsToken)
	return func(w http.ResponseWriter, r *http.Request) {
		if s.svc.Config.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "jeton d'accès aux métriques manquant ou invalide", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	}
}
