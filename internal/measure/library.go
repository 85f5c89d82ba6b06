package measure

import (
	"context"
	"strconv"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/outcomes"
)

// Library is one instrument as the library page shows it, in each language.
type Library struct {
	In    *outcomes.Instrument
	Langs []string
}

// WordingKey is the translation key of the status of the instrument's
// wording in lang ("measure.wording.unverified", ...).
func (l Library) WordingKey(lang string) string {
	st := l.In.Wording[lang]
	if st == "" {
		st = outcomes.WordingUnverified
	}
	return "measure.wording." + st
}

// Checked reports whether the wording in lang was seen in an official source.
func (l Library) Checked(lang string) bool { return l.In.Wording[lang] == outcomes.WordingVerified }

// staff returns the caller if they may read the library.
func staff(ctx context.Context) error {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return err
	}
	if !IsStaff(p) {
		return auth.ErrForbidden
	}
	return nil
}

// Instruments lists the library for those who coordinate, facilitate or
// evaluate groups.
func (s *Service) Instruments(ctx context.Context) ([]*outcomes.Instrument, error) {
	if err := staff(ctx); err != nil {
		return nil, err
	}
	return outcomes.Instruments(), nil
}

// Instrument returns one instrument of the library in both languages.
func (s *Service) Instrument(ctx context.Context, code string) (Library, error) {
	if err := staff(ctx); err != nil {
		return Library{}, err
	}
	in, ok := outcomes.Lookup(code)
	if !ok {
		return Library{}, db.ErrNotFound
	}
	return Library{In: in, Langs: []string{"id", "en"}}, nil
}

// SkipAnswer is the answer to an earlier item that lets item i (0-based) be
// left out, in lang; "" when it may not be.
func (l Library) SkipAnswer(i int, lang string) string {
	return Questionnaire{Instrument: l.In, Lang: lang}.SkipLabel(i)
}

// SkipLabel says when item i (0-based) may be left out, as the answer to
// the earlier item that allows it, in the page's language; "" when it may not.
func (q Questionnaire) SkipLabel(i int) string {
	if q.Instrument == nil || i < 0 || i >= len(q.Instrument.Items) || q.Instrument.Items[i].Skip == nil {
		return ""
	}
	sk := q.Instrument.Items[i].Skip
	for _, c := range q.Instrument.ChoicesOf(sk.Item - 1) {
		if c.Value == sk.Value {
			return c.Label.In(q.Lang)
		}
	}
	return ""
}

// HasSafetyItem reports whether an answer may alert the safety staff.
func (q Questionnaire) HasSafetyItem() bool {
	if q.Instrument == nil {
		return false
	}
	for _, it := range q.Instrument.Items {
		if it.Safety {
			return true
		}
	}
	return false
}

// HasText reports whether a survey asks for written answers (screened for
// crisis words).
func (q Questionnaire) HasText() bool {
	if q.Survey == nil {
		return false
	}
	for _, qu := range q.Survey.Questions {
		if qu.Kind == KindText {
			return true
		}
	}
	return false
}

// Is reports whether value was chosen for field in the submitted form.
func (v questionnaireView) Is(field string, value int) bool {
	return v.Chosen[field+"="+strconv.Itoa(value)]
}
