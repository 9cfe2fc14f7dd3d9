import { Tabs } from '../../components/tabs';
import { useDocumentTitle } from '../../lib/document-title';
import { Link, navigate, useSearchParams } from '../../lib/router';
import { ApiKeysTab } from '../api-keys/api-keys-tab';
import { AuditTab } from '../audit/audit-tab';
import { useSession } from '../auth/session';
import { MembersTab } from '../members/members-tab';
import { ModelsPricesTab } from '../models-prices/models-prices-tab';
import { DataPrivacyTab } from '../project-settings/data-privacy-tab';
import { ProjectTab } from '../projects/project-tab';

const SETTINGS_TABS = [
  { value: 'members', label: 'Members' },
  { value: 'api-keys', label: 'API keys' },
  { value: 'data', label: 'Data & privacy' },
  { value: 'models', label: 'Models & prices' },
  { value: 'audit', label: 'Audit log' },
  { value: 'project', label: 'Project' },
] as const;
type SettingsTab = (typeof SETTINGS_TABS)[number]['value'];

/** /settings: the current project's members, API keys, data policies, audit log, name and deletion; admins only. */
export function SettingsPage() {
  const { project } = useSession();
  const [search] = useSearchParams();
  const tab: SettingsTab = SETTINGS_TABS.find((option) => option.value === search.get('tab'))?.value ?? 'members';
  useDocumentTitle(`Settings · ${SETTINGS_TABS.find((option) => option.value === tab)?.label ?? ''}`);

  if (!project) {
    return (
      <div className="page">
        <header className="page__header">
          <h1 className="page__title">Settings</h1>
          <p className="muted">
            You are not a member of any project. Ask an admin to add you to one, or{' '}
            <Link to="/projects/new">create a project</Link>.
          </p>
        </header>
      </div>
    );
  }

  if (project.role !== 'admin') {
    return (
      <div className="page">
        <header className="page__header">
          <p className="eyebrow">Project settings</p>
          <h1 className="page__title break">{project.name}</h1>
        </header>
        <div className="empty card">
          <h2 className="card__title">You need the admin role</h2>
          <p>
            Members, API keys, retention, redaction and the audit log of this project are managed by its admins. You are
            {project.role === 'editor' ? ' an ' : ' a '}
            <strong>{project.role}</strong> here; ask an admin if you need more.
          </p>
          <p>
            <Link to="/">Go to the prompts</Link>
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="page page--wide">
      <header className="page__header">
        <p className="eyebrow">Project settings</p>
        <h1 className="page__title break">{project.name}</h1>
      </header>
      <Tabs
        label="Settings sections"
        tabs={SETTINGS_TABS}
        selected={tab}
        // Each section's filters and open panels belong to it, so switching starts the next one clean.
        onSelect={(next) => navigate(next === 'members' ? '/settings' : `/settings?tab=${next}`)}
      >
        {tab === 'members' && <MembersTab projectId={project.id} />}
        {tab === 'api-keys' && <ApiKeysTab projectId={project.id} />}
        {tab === 'data' && <DataPrivacyTab projectId={project.id} />}
        {tab === 'models' && <ModelsPricesTab projectId={project.id} />}
        {tab === 'audit' && <AuditTab projectId={project.id} />}
        {tab === 'project' && <ProjectTab project={project} />}
      </Tabs>
    </div>
  );
}
