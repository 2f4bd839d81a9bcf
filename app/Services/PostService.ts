import { randomUUID } from 'node:crypto'
import Post from 'App/Models/Post'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Stores posts once per form. The form carries a submission id of its own;
 * when a browser sends it twice, one post is stored. Browsers do resend a
 * form, without asking, when the connection it went on closes with no
 * answer, which is what HAProxy does when the instance behind it dies
 * during the request.
 */
export default class PostService {
  /**
   * The id of a new form.
   */
  public static newSubmission() {
    return randomUUID()
  }

  /**
   * Stores the post, unless the same form stored it already (`created` is
   * then false). A submission id that is not one of ours is ignored: the
   * post is stored as it is.
   */
  public static async publish(fields: { title: string; body: string }, submission?: unknown) {
    if (typeof submission !== 'string' || !UUID.test(submission)) {
      return { post: await Post.create(fields), created: true }
    }
    const stored = await Post.findBy('submissionId', submission)
    if (stored) {
      return { post: stored, created: false }
    }
    try {
      return { post: await Post.create({ ...fields, submissionId: submission }), created: true }
    } catch (error) {
      // The same form, sent again while the first one was being stored:
      // the unique index kept the second copy out.
      const first = await Post.findBy('submissionId', submission).catch(() => null)
      if (first) return { post: first, created: false }
      throw error
    }
  }
}
