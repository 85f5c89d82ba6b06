package app_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app/apptest"
)

// SIGTERM (here: the context ending) must let a request in flight finish.
func TestGracefulShutdownFinishesRequestsInFlight(t *testing.T) {
	env := apptest.New(t)
	a := env.App
	a.Config.Addr = "127.0.0.1:0"
	entered, release := make(chan struct{}), make(chan struct{})
	inner := a.Handler
	a.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(entered)
			<-release
			w.Write([]byte("finished"))
			return
		}
		inner.ServeHTTP(w, r)
	})
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, func(addr string) { addrc <- addr }) }()
	addr := <-addrc
	got := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		got <- string(b)
	}()
	<-entered
	cancel()
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) while a request was in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if body := <-got; body != "finished" {
		t.Fatalf("request in flight got %q", body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Fatal("server still accepting after shutdown")
	}
}
