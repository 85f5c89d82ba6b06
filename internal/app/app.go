// Package app is Rangkul's composition root: configuration, database, services,
// the HTTP server and graceful shutdown. It is the only package that knows every
// feature; nothing here is global.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rangkul/rangkul/internal/account"
	"github.com/rangkul/rangkul/internal/admin"
	"github.com/rangkul/rangkul/internal/audit"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/config"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/directory"
	"github.com/rangkul/rangkul/internal/evaluation"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/help"
	"github.com/rangkul/rangkul/internal/home"
	"github.com/rangkul/rangkul/internal/hsds"
	"github.com/rangkul/rangkul/internal/i18n"
	"github.com/rangkul/rangkul/internal/jobs"
	"github.com/rangkul/rangkul/internal/library"
	"github.com/rangkul/rangkul/internal/live"
	"github.com/rangkul/rangkul/internal/mail"
	"github.com/rangkul/rangkul/internal/measure"
	"github.com/rangkul/rangkul/internal/mentoring"
	"github.com/rangkul/rangkul/internal/notices"
	"github.com/rangkul/rangkul/internal/privacy"
	"github.com/rangkul/rangkul/internal/referrals"
	"github.com/rangkul/rangkul/internal/safety"
	"github.com/rangkul/rangkul/internal/secret"
	"github.com/rangkul/rangkul/internal/training"
	"github.com/rangkul/rangkul/internal/web"
)

// Version is set at build time with -ldflags "-X .../internal/app.Version=...".
var Version = "dev"

// JobOptimize refreshes the database's planner statistics (SQLite).
const JobOptimize = "db.optimize"

// App is a running Rangkul: its database, services and HTTP handler.
type App struct {
	Config  *config.Config
	Log     *slog.Logger
	DB      *db.DB
	Audit   *audit.Log
	Auth    *auth.Service
	Help    *help.Service
	Groups  *groups.Service
	Secrets *secret.Box
	Jobs    *jobs.Queue
	Hub     *live.Hub

	liveBroker live.Broker
	Notices    *notices.Service
	Safety     *safety.Service
	Privacy    *privacy.Service
	Mentoring  *mentoring.Service
	Training   *training.Service
	Referrals  *referrals.Service
	Library    *library.Service
	Evaluation *evaluation.Service
	Measure    *measure.Service
	HSDS       *hsds.Store
	Directory  *directory.Service
	Router     *web.Router
	Handler    http.Handler
}

// Options are the parts tests replace.
type Options struct {
	Hash auth.HashParams // zero: production cost
}

// New opens the database, applies migrations and wires every feature.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger, opt Options) (*App, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if n, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	} else if n > 0 {
		log.Info("migrations applied", "count", n, "engine", string(d.Dialect()))
	}
	if err := d.Optimize(ctx); err != nil {
		d.Close()
		return nil, err
	}
	a, err := Wire(cfg, log, d, opt)
	if err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}

// Wire builds the services and routes over an open, migrated database.
func Wire(cfg *config.Config, log *slog.Logger, d *db.DB, opt Options) (*App, error) {
	bundle, err := i18n.Load(cfg.Lang)
	if err != nil {
		return nil, err
	}
	assets, err := web.LoadAssets()
	if err != nil {
		return nil, err
	}
	rd, err := web.NewRenderer(bundle, assets)
	if err != nil {
		return nil, err
	}
	rd.Region = cfg.Region
	box, created, err := secret.LoadOrCreate(cfg.Keys, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if created {
		log.Warn("created a new key for sensitive data; back it up with the database", "file", filepath.Join(cfg.DataDir, "keys"))
	}
	a := &App{Config: cfg, Log: log, DB: d, Secrets: box}
	a.Audit = audit.New(d)
	a.Auth = auth.NewService(d, a.Audit, auth.Options{Hash: opt.Hash})
	a.Help = help.NewService(d, a.Audit)
	a.Groups = groups.NewService(d, a.Audit, a.Auth)
	a.Groups.Secrets = box
	a.Jobs = jobs.New(d, log)
	a.Notices = notices.NewService(d)
	var sender mail.Sender = mail.Discard{}
	if cfg.SMTPURL != "" {
		smtpSender, err := mail.Parse(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			return nil, err
		}
		sender = smtpSender
	}
	a.Groups.Messaging = &groups.Messaging{Jobs: a.Jobs, Notices: a.Notices, Contacts: a.Auth, Mail: sender,
		Bundle: bundle, BaseURL: cfg.PublicURL}
	a.Jobs.Handle(groups.JobScanReminders, a.Groups.ScanReminders)
	a.Jobs.Handle(groups.JobReminder, a.Groups.SendReminder)
	a.Jobs.Handle(groups.JobChanged, a.Groups.SendChange)
	a.Jobs.Every(groups.JobScanReminders, 15*time.Minute)
	a.Jobs.Handle(groups.JobSweepChat, a.Groups.SweepChat)
	a.Jobs.Every(groups.JobSweepChat, time.Hour)
	a.Jobs.Handle(JobOptimize, func(ctx context.Context, _ []byte) error { return d.Optimize(ctx) })
	a.Jobs.Every(JobOptimize, time.Hour)
	var broker live.Broker = &live.Local{}
	if d.Dialect() == db.Postgres {
		broker = live.NewPostgres(d.URL(), func(ctx context.Context, payload string) error {
			_, err := d.Exec(ctx, `SELECT pg_notify('rangkul_live', $1)`, payload)
			return err
		})
	}
	a.Hub = live.NewHub(broker)
	a.liveBroker = broker
	a.Groups.Hub = a.Hub
	a.Groups.Zone = RegionZone(cfg.Region)

	rt := web.NewRouter(rd, log)
	homePages, err := home.New(rd)
	if err != nil {
		return nil, err
	}
	accountPages, err := account.New(a.Auth, rd)
	if err != nil {
		return nil, err
	}
	helpPages, err := help.New(a.Help, rd, cfg.Region)
	if err != nil {
		return nil, err
	}
	adminPages, err := admin.New(a.Auth, rd)
	if err != nil {
		return nil, err
	}
	adminPages.Zone = a.Groups.Zone
	groupPages, err := groups.New(a.Groups, rd)
	if err != nil {
		return nil, err
	}
	noticePages, err := notices.New(a.Notices, rd)
	if err != nil {
		return nil, err
	}
	homePages.Routes(rt)
	accountPages.Routes(rt)
	helpPages.Routes(rt)
	adminPages.Routes(rt)
	groupPages.Routes(rt)
	noticePages.Routes(rt)
	if err := a.wireSafety(rd, rt); err != nil {
		return nil, err
	}
	if err := a.wireTraining(rd, rt); err != nil {
		return nil, err
	}
	if err := a.wireMentoring(rd, rt); err != nil {
		return nil, err
	}
	if err := a.wireReferrals(rd, rt); err != nil {
		return nil, err
	}
	if err := a.wireLibrary(rd, rt); err != nil {
		return nil, err
	}
	if err := a.wireMeasure(rd, rt); err != nil {
		return nil, err
	}
	if err := a.wireEvaluation(rd, rt); err != nil {
		return nil, err
	}
	if err := a.wireHSDS(rd, rt); err != nil {
		return nil, err
	}
	if err := a.wireDirectory(rd, rt); err != nil {
		return nil, err
	}
	a.linkFeatures()
	if err := a.wirePrivacy(rd, rt); err != nil {
		return nil, err
	}
	accountPages.Consent = a.Privacy

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	rt.HandleHTTP("GET /static/{hash}/{name}", assets)
	rt.HandleHTTP("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	rt.HandleHTTP("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	}))
	rt.HandleHTTP("GET /readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := d.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	}))
	a.Router = rt
	stack := &web.Stack{Log: log, Auth: a.Auth, Bundle: bundle, Renderer: rd, Metrics: web.NewMetrics(reg),
		SecureCookies: cfg.SecureCookies}
	a.Handler = stack.Wrap(rt)
	return a, nil
}

// LiveReady is closed once this instance receives live events from other
// instances (at once on SQLite, after LISTEN on PostgreSQL).
func (a *App) LiveReady() <-chan struct{} {
	if r, ok := a.liveBroker.(interface{ Ready() <-chan struct{} }); ok {
		return r.Ready()
	}
	done := make(chan struct{})
	close(done)
	return done
}

// Start runs the live hub's delivery until ctx ends; Serve calls it, and tests
// that use live rooms without Serve.
func (a *App) Start(ctx context.Context) {
	go func() {
		if err := a.Hub.Run(ctx); err != nil {
			a.Log.Error("live hub stopped", "err", err.Error())
		}
	}()
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Serve listens on the configured address until ctx ends, then stops taking
// new connections and lets requests in flight finish (up to 20 seconds).
// ready, if not nil, receives the bound address once listening.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.Config.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	workCtx, stopWork := context.WithCancel(context.Background())
	a.Start(workCtx)
	workDone := make(chan struct{})
	go func() { a.Jobs.Work(workCtx, 30*time.Second); close(workDone) }()
	defer func() { stopWork(); <-workDone }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// RegionZone is the time zone sessions are planned in for a deployment's
// region: Western Indonesia Time for Indonesia (most groups meet in WIB;
// a per-organisation zone can come later), London for the UK.
func RegionZone(region string) *time.Location {
	name := map[string]string{"ID": "Asia/Jakarta", "GB": "Europe/London"}[region]
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}
