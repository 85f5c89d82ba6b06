package main

import (
	"testing"
	"time"
)

func TestLoopbackOnly(t *testing.T) {
	for host, ok := range map[string]bool{"127.0.0.1": true, "127.3.4.5": true, "::1": true, "localhost": true,
		"10.0.0.1": false, "192.168.1.10": false, "example.org": false, "8.8.8.8": false, "": false} {
		if err := loopbackOnly(host); (err == nil) != ok {
			t.Errorf("loopbackOnly(%q) = %v", host, err)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 1: time.Millisecond} {
		if got := percentile(d, p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("empty input")
	}
}

func TestRefusesRemoteTarget(t *testing.T) {
	if err := run([]string{"-url", "http://203.0.113.5:8080"}, nil); err == nil {
		t.Fatal("remote target accepted")
	}
	if err := run([]string{"-scenario", "nope"}, nil); err == nil {
		t.Fatal("unknown scenario accepted")
	}
}
