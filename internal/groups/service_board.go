package groups

import (
	"context"
	"fmt"
	"html/template"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/valid"
)

// Reactions members can send to a post. Counts are never shown.
var Reactions = []string{"hug", "with_you", "thanks"}

// Post is a board post or reply as a reader sees it.
type Post struct {
	ID       int64
	ParentID int64
	Author   string // pseudonym in the group
	Mine     bool
	Body     string
	HTML     template.HTML
	Held     bool // waiting for a look from a person; shown only to its author
	Deleted  bool
	Created  time.Time
	Edited   time.Time
	MyReacts map[string]bool
	Received []string // reactions the author received, shown to the author only
	Replies  []Post
}

// board checks that the caller may read and write a group's board: its active
// members and those who manage it.
func (s *Service) board(ctx context.Context, groupID int64) (*auth.Principal, View, error) {
	p, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, View{}, err
	}
	v, err := s.Group(ctx, groupID)
	if err != nil {
		return nil, View{}, err
	}
	if !v.IsMember() && !v.CanManage {
		return nil, View{}, auth.ErrForbidden
	}
	return p, v, nil
}

// Board lists a group's threads, newest first, with their replies.
func (s *Service) Board(ctx context.Context, groupID int64, limit int) ([]Post, error) {
	p, _, err := s.board(ctx, groupID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT b.id, COALESCE(b.parent_id, 0), COALESCE(m.display_name, ''), COALESCE(b.author_id, 0),
		b.body, b.body_html, b.held, b.deleted, b.created_at, b.edited_at
		FROM board_posts b LEFT JOIN group_members m ON m.group_id = b.group_id AND m.user_id = b.author_id
		WHERE b.group_id = $1 ORDER BY b.created_at`, groupID)
	if err != nil {
		return nil, fmt.Errorf("groups: board: %w", err)
	}
	var all []Post
	for rows.Next() {
		var pt Post
		var author int64
		var html string
		var edited *time.Time
		if err := rows.Scan(&pt.ID, &pt.ParentID, &pt.Author, &author, &pt.Body, &html, &pt.Held, &pt.Deleted, &pt.Created, &edited); err != nil {
			rows.Close()
			return nil, err
		}
		pt.Mine = author == p.UserID && author != 0
		if pt.Held && !pt.Mine {
			continue
		}
		if pt.Deleted {
			pt.Body, html = "", ""
		}
		pt.HTML = template.HTML(html) // sanitised by markup when stored
		if edited != nil {
			pt.Edited = *edited
		}
		all = append(all, pt)
	}
	rows.Close()
	reacts, err := s.db.Query(ctx, `SELECT r.post_id, r.user_id, r.kind FROM board_reactions r JOIN board_posts b ON b.id = r.post_id
		WHERE b.group_id = $1`, groupID)
	if err != nil {
		return nil, err
	}
	mine, received := map[int64]map[string]bool{}, map[int64]map[string]bool{}
	for reacts.Next() {
		var pid, uid int64
		var kind string
		if err := reacts.Scan(&pid, &uid, &kind); err != nil {
			reacts.Close()
			return nil, err
		}
		if uid == p.UserID {
			if mine[pid] == nil {
				mine[pid] = map[string]bool{}
			}
			mine[pid][kind] = true
		}
		if received[pid] == nil {
			received[pid] = map[string]bool{}
		}
		received[pid][kind] = true
	}
	reacts.Close()
	byID := map[int64]int{}
	var threads []Post
	for _, pt := range all {
		pt.MyReacts = mine[pt.ID]
		if pt.Mine {
			for _, k := range Reactions {
				if received[pt.ID][k] {
					pt.Received = append(pt.Received, k)
				}
			}
		}
		if pt.ParentID == 0 {
			byID[pt.ID] = len(threads)
			threads = append(threads, pt)
		} else if i, ok := byID[pt.ParentID]; ok {
			threads[i].Replies = append(threads[i].Replies, pt)
		}
	}
	// Newest thread first; replies stay in the order they were written.
	for i, j := 0, len(threads)-1; i < j; i, j = i+1, j-1 {
		threads[i], threads[j] = threads[j], threads[i]
	}
	if limit > 0 && len(threads) > limit {
		threads = threads[:limit]
	}
	return threads, nil
}

func (s *Service) render(body string) (string, string, error) {
	text, fe := valid.Text("body", body, 1, 5000, true)
	if fe != nil {
		return "", "", fe
	}
	html, err := s.Markup.HTML(text)
	if err != nil {
		return "", "", err
	}
	return text, string(html), nil
}

// Write adds a post, or a reply when parentID is not 0. The screening hook sees
// it first; a post it holds is kept from others until a person has looked.
func (s *Service) Write(ctx context.Context, groupID, parentID int64, body string) (Screening, error) {
	p, v, err := s.board(ctx, groupID)
	if err != nil {
		return Screening{}, err
	}
	text, html, err := s.render(body)
	if err != nil {
		return Screening{}, err
	}
	if err := s.allowed(ctx, v, text); err != nil {
		return Screening{}, err
	}
	sc, err := s.screen(ctx, v.Group, text)
	if err != nil {
		return Screening{}, err
	}
	var parent any
	if parentID != 0 {
		var n int
		if err := s.db.QueryRow(ctx, `SELECT count(*) FROM board_posts WHERE id = $1 AND group_id = $2 AND parent_id IS NULL`,
			parentID, groupID).Scan(&n); err != nil {
			return Screening{}, err
		}
		if n == 0 {
			return Screening{}, db.ErrNotFound
		}
		parent = parentID
	}
	var id int64
	if err := s.db.WriteRow(ctx, `INSERT INTO board_posts (group_id, author_id, parent_id, body, body_html, held, screening, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, groupID, p.UserID, parent, text, html, sc.Hold, sc.Level,
		s.now().UTC()).Scan(&id); err != nil {
		return Screening{}, err
	}
	err = s.escalate(ctx, Written{GroupID: groupID, Source: SourcePost, SourceID: id, Text: text}, &sc)
	return sc, err
}

// own returns one of the caller's posts in the group.
func (s *Service) own(ctx context.Context, groupID, postID int64) error {
	p, _, err := s.board(ctx, groupID)
	if err != nil {
		return err
	}
	var author *int64
	var deleted bool
	if err := s.db.QueryRow(ctx, `SELECT author_id, deleted FROM board_posts WHERE id = $1 AND group_id = $2`, postID, groupID).
		Scan(&author, &deleted); err != nil {
		return err
	}
	if author == nil || *author != p.UserID || deleted {
		return auth.ErrForbidden
	}
	return nil
}

// PostBody returns the text of one of the caller's posts, for editing.
func (s *Service) PostBody(ctx context.Context, groupID, postID int64) (string, error) {
	if err := s.own(ctx, groupID, postID); err != nil {
		return "", err
	}
	var body string
	err := s.db.QueryRow(ctx, `SELECT body FROM board_posts WHERE id = $1`, postID).Scan(&body)
	return body, err
}

// Edit changes one of the caller's posts; it is screened again.
func (s *Service) Edit(ctx context.Context, groupID, postID int64, body string) (Screening, error) {
	if err := s.own(ctx, groupID, postID); err != nil {
		return Screening{}, err
	}
	_, v, err := s.board(ctx, groupID)
	if err != nil {
		return Screening{}, err
	}
	text, html, err := s.render(body)
	if err != nil {
		return Screening{}, err
	}
	if err := s.allowed(ctx, v, text); err != nil {
		return Screening{}, err
	}
	sc, err := s.screen(ctx, v.Group, text)
	if err != nil {
		return Screening{}, err
	}
	if _, err = s.db.Exec(ctx, `UPDATE board_posts SET body = $1, body_html = $2, held = $3, screening = $4, edited_at = $5 WHERE id = $6`,
		text, html, sc.Hold, sc.Level, s.now().UTC(), postID); err != nil {
		return Screening{}, err
	}
	err = s.escalate(ctx, Written{GroupID: groupID, Source: SourcePost, SourceID: postID, Text: text}, &sc)
	return sc, err
}

// Delete removes the text of one of the caller's posts; replies to it stay.
func (s *Service) Delete(ctx context.Context, groupID, postID int64) error {
	if err := s.own(ctx, groupID, postID); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `UPDATE board_posts SET deleted = TRUE, body = '', body_html = '', edited_at = $1 WHERE id = $2`,
		s.now().UTC(), postID)
	return err
}

// React sends a supportive reaction to a post, or takes it back.
func (s *Service) React(ctx context.Context, groupID, postID int64, kind string) error {
	p, _, err := s.board(ctx, groupID)
	if err != nil {
		return err
	}
	if _, fe := valid.OneOf("kind", kind, Reactions); fe != nil {
		return fe
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM board_posts WHERE id = $1 AND group_id = $2 AND deleted = FALSE AND held = FALSE`,
		postID, groupID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return db.ErrNotFound
	}
	res, err := s.db.Exec(ctx, `DELETE FROM board_reactions WHERE post_id = $1 AND user_id = $2 AND kind = $3`, postID, p.UserID, kind)
	if err != nil {
		return err
	}
	if removed, _ := res.RowsAffected(); removed > 0 {
		return nil
	}
	_, err = s.db.Exec(ctx, `INSERT INTO board_reactions (post_id, user_id, kind, created_at) VALUES ($1, $2, $3, $4)`,
		postID, p.UserID, kind, s.now().UTC())
	return err
}
