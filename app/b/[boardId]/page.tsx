import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { BoardView } from '@/components/board/board';
import { isBoardId } from '@/lib/board-id';
import { parseSyncUrl } from '@/lib/ui/sync-url';

export default async function BoardPage({ params }: { params: Promise<{ boardId: string }> }) {
  await connection(); // SYNC_URL is read per request, not baked in at build time
  const { boardId } = await params;
  if (!isBoardId(boardId)) notFound();
  const syncUrl = parseSyncUrl(process.env.SYNC_URL);
  return <BoardView boardId={boardId} syncUrl={syncUrl} />;
}
