package measure

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/rangkul/rangkul/internal/secret"
)

// SealPrefix binds a response's sealed answers to its row:
// outcome_responses.answers_sealed is sealed for "outcome_response:<id>".
const SealPrefix = "outcome_response:"

// Answers are what a person answered, sealed in one value per response.
// Items holds a validated instrument's answers in its own answer codes, in
// item order (outcomes.Missing for an item a skip rule left out); Survey
// holds a custom survey's answers.
type Answers struct {
	Items  []int          `json:"items,omitempty"`
	Survey []SurveyAnswer `json:"survey,omitempty"`
}

// SurveyAnswer is the answer to one custom survey question: the chosen
// values (single choice, multiple choice or scale) or free text.
type SurveyAnswer struct {
	Question int64  `json:"q"`
	Values   []int  `json:"v,omitempty"`
	Text     string `json:"t,omitempty"`
}

// SealAnswers seals a for the response responseID.
func SealAnswers(box *secret.Box, responseID int64, a Answers) (string, error) {
	b, err := json.Marshal(a)
	if err != nil {
		return "", err
	}
	return box.Seal(string(b), SealPrefix+strconv.FormatInt(responseID, 10)), nil
}

// OpenAnswers opens the sealed answers of the response responseID.
func OpenAnswers(box *secret.Box, responseID int64, sealed string) (Answers, error) {
	var a Answers
	plain, err := box.Open(sealed, SealPrefix+strconv.FormatInt(responseID, 10))
	if err != nil {
		return a, fmt.Errorf("measure: open answers of response %d: %w", responseID, err)
	}
	if err := json.Unmarshal([]byte(plain), &a); err != nil {
		return a, fmt.Errorf("measure: answers of response %d: %w", responseID, err)
	}
	return a, nil
}
