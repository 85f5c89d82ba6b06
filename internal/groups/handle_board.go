package groups

import (
	"net/http"
	"strconv"

	"github.com/rangkul/rangkul/internal/web"
)

// boardRoutes adds the routes of the group board.
func (h *Handler) boardRoutes(rt *web.Router) {
	rt.Handle("GET /groups/{id}/board", h.showBoard)
	rt.Handle("POST /groups/{id}/board", h.writePost)
	rt.Handle("GET /groups/{id}/board/{post}/edit", h.editPostForm)
	rt.Handle("POST /groups/{id}/board/{post}/edit", h.editPost)
	rt.Handle("GET /groups/{id}/board/{post}/delete", h.confirmDeletePost)
	rt.Handle("POST /groups/{id}/board/{post}/delete", h.deletePost)
	rt.Handle("POST /groups/{id}/board/{post}/react", h.react)
}

type boardView struct {
	View      View
	Posts     []Post
	Reactions []string
	Held      bool
}

func (h *Handler) boardPage(w http.ResponseWriter, r *http.Request, id int64, f *web.Form, status int) error {
	posts, err := h.svc.Board(r.Context(), id, 100)
	if err != nil {
		return err
	}
	v, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm()
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/board", Status: status, Form: f,
		Data: boardView{View: v, Posts: posts, Reactions: Reactions}})
}

func (h *Handler) showBoard(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.boardPage(w, r, id, nil, 0)
}

func (h *Handler) writePost(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		sc, err := h.svc.Write(r.Context(), id, f.Int("parent"), f.Get("body"))
		out := web.Outcome{Flash: "flash.posted", To: "/groups/" + strconv.FormatInt(id, 10) + "/board"}
		if sc.Hold {
			out.Flash = "flash.post_held"
		}
		return helpCard(out, sc), err
	}, func(f *web.Form) error { return h.boardPage(w, r, id, f, http.StatusUnprocessableEntity) })
}

func postIDs(r *http.Request) (int64, int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	post, err := web.PathID(r, "post")
	return id, post, err
}

type postView struct {
	GroupID int64
	PostID  int64
}

func (h *Handler) editPostForm(w http.ResponseWriter, r *http.Request) error {
	id, post, err := postIDs(r)
	if err != nil {
		return err
	}
	body, err := h.svc.PostBody(r.Context(), id, post)
	if err != nil {
		return err
	}
	f := web.NewForm()
	f.Values.Set("body", body)
	return h.rd.Render(w, r, web.Page{Name: "groups/post-edit", Form: f, Data: postView{GroupID: id, PostID: post}})
}

func (h *Handler) editPost(w http.ResponseWriter, r *http.Request) error {
	id, post, err := postIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		sc, err := h.svc.Edit(r.Context(), id, post, f.Get("body"))
		return helpCard(web.Outcome{Flash: "flash.saved", To: "/groups/" + strconv.FormatInt(id, 10) + "/board"}, sc), err
	}, func(f *web.Form) error {
		return h.rd.Render(w, r, web.Page{Name: "groups/post-edit", Status: http.StatusUnprocessableEntity, Form: f,
			Data: postView{GroupID: id, PostID: post}})
	})
}

func (h *Handler) confirmDeletePost(w http.ResponseWriter, r *http.Request) error {
	id, post, err := postIDs(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.PostBody(r.Context(), id, post); err != nil {
		return err
	}
	return h.rd.Render(w, r, web.Page{Name: "groups/post-delete", Data: postView{GroupID: id, PostID: post}})
}

func (h *Handler) deletePost(w http.ResponseWriter, r *http.Request) error {
	id, post, err := postIDs(r)
	if err != nil {
		return err
	}
	if err := h.svc.Delete(r.Context(), id, post); err != nil {
		return err
	}
	return web.Done(w, r, "flash.deleted", "/groups/"+strconv.FormatInt(id, 10)+"/board")
}

func (h *Handler) react(w http.ResponseWriter, r *http.Request) error {
	id, post, err := postIDs(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, func(f *web.Form) (web.Outcome, error) {
		to := "/groups/" + strconv.FormatInt(id, 10) + "/board#post-" + strconv.FormatInt(post, 10)
		return web.Outcome{Flash: "flash.reaction_sent", To: to}, h.svc.React(r.Context(), id, post, f.Get("kind"))
	}, func(f *web.Form) error { return h.boardPage(w, r, id, f, http.StatusUnprocessableEntity) })
}
