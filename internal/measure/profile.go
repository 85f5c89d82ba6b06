package measure

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// Genders a member may give for research; "" is not saying.
var Genders = []string{"female", "male", "other"}

// Profile is what a member chose to tell about themselves for research:
// every field is optional. Exports never show it as given: the birth year
// becomes an age band, and rare combinations are merged or left out.
type Profile struct {
	BirthYear int // 0: not given
	Gender    string
	Region    string
	UpdatedAt time.Time
	Saved     bool
}

// ProfileInput is the research profile form.
type ProfileInput struct {
	BirthYear, Gender, Region string
}

// MyProfile returns the caller's research profile (empty if they gave none).
func (s *Service) MyProfile(ctx context.Context) (Profile, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return Profile{}, err
	}
	var pr Profile
	var year *int
	err = s.db.QueryRow(ctx, `SELECT birth_year, gender, region, updated_at FROM outcome_profiles WHERE user_id = $1`, p.UserID).
		Scan(&year, &pr.Gender, &pr.Region, &pr.UpdatedAt)
	if errors.Is(err, db.ErrNotFound) {
		return Profile{}, nil
	}
	if err != nil {
		return Profile{}, err
	}
	if year != nil {
		pr.BirthYear = *year
	}
	pr.Saved = true
	return pr, nil
}

// SaveProfile stores the caller's research profile; empty fields are not
// given. Saving a form with every field empty deletes it.
func (s *Service) SaveProfile(ctx context.Context, in ProfileInput) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	var year any
	if y := strings.TrimSpace(in.BirthYear); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < now.Year()-110 || n > now.Year()-12 {
			return valid.Field("birth_year", "form.number", "min", now.Year()-110, "max", now.Year()-12)
		}
		year = n
	}
	gender := strings.TrimSpace(in.Gender)
	if gender != "" {
		if _, fe := valid.OneOf("gender", gender, Genders); fe != nil {
			return fe
		}
	}
	region, fe := valid.Name("region", in.Region, 0, 80)
	if fe != nil {
		return fe
	}
	if year == nil && gender == "" && region == "" {
		return s.DeleteProfile(ctx)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO outcome_profiles (user_id, birth_year, gender, region, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET birth_year = $2, gender = $3, region = $4, updated_at = $5`,
		p.UserID, year, gender, region, now)
	return err
}

// DeleteProfile removes the caller's research profile.
func (s *Service) DeleteProfile(ctx context.Context) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `DELETE FROM outcome_profiles WHERE user_id = $1`, p.UserID)
	return err
}
