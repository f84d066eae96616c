import { MemberLoginPage, MyInformationPage, MyMovementsPage } from './pages/MemberPortalPages';
import { BasicInfoPage, DataOverviewPage } from './pages/DataOverviewPage';
import { CertificatesPage } from './pages/CertificatesPage';
import { ApplicationOnboardingDetailPage, ApplicationOnboardingsPage } from './pages/ApplicationOnboardingPage';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type ReactNode, StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { PortalLayout } from './components/PortalLayout';
import { AcquiringPage } from './pages/AcquiringPage';
import { AccountsPage } from './pages/AccountsPage';
import { AgreementsPage } from './pages/AgreementsPage';
import { ImportPage } from './pages/ImportPage';
import { ImportWindowsPage } from './pages/ImportWindowsPage';
import { LoginPage } from './pages/LoginPage';
import { MemberDetailPage } from './pages/MemberDetailPage';
import { MembersPage } from './pages/MembersPage';
import { BankCardsPage } from './pages/BankCardsPage';
import { MigrationsPage } from './pages/MigrationsPage';
import { OnboardingPage } from './pages/OnboardingPage';
import { GuaranteeLinksPage, OrdersPage } from './pages/OrdersPage';
import { StatementEnablementsPage } from './pages/StatementEnablementsPage';
import { StatementsPage } from './pages/StatementsPage';
import { ReviewDetailPage, ReviewsPage } from './pages/ReviewsPage';
import { RoleHomePage } from './pages/RoleHomePage';
import { SignPage } from './pages/SignPage';
import { SigningLinksPage } from './pages/SigningLinksPage';
import { SplitOrdersPage } from './pages/SplitOrdersPage';
import { SplitRulesPage } from './pages/SplitRulesPage';
import { ChangePasswordPage, ForgotPasswordPage } from './pages/PasswordPages';
import { ProviderAccountsPage } from './pages/ProviderAccountsPage';
import { ProvidersPage } from './pages/ProvidersPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { WechatPayPage } from './pages/WechatPayPage';
import { B2bStoreAssistantPage, WeiqifuPage } from './pages/PaymentSolutionsPages';
import { StaffPage } from './pages/StaffPage';
import { WorkflowsPage } from './pages/WorkflowsPage';

dayjs.locale('zh-cn');
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

/**
 * Whoever asked their system for less motion gets dialogs and menus that appear
 * in place instead of zooming: also the browser tests, where a button still
 * growing with its dialog can move between the press and the release.
 */
const lessMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
function Theme({ children }: { children: ReactNode }) {
  const reduced = useSyncExternalStore(
    (changed) => (lessMotion.addEventListener('change', changed), () => lessMotion.removeEventListener('change', changed)),
    () => lessMotion.matches,
  );
  return (
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#d4380d', motion: !reduced } }}>
      {children}
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Theme>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/forgot-password" element={<ForgotPasswordPage />} />
              <Route path="/member-login" element={<MemberLoginPage />} />
              <Route path="/onboard/:token" element={<OnboardingPage />} />
              <Route path="/sign/:token" element={<SignPage />} />
              <Route element={<PortalLayout />}>
                <Route path="/" element={<RoleHomePage />} />
                <Route path="/members/:type" element={<MembersPage />} />
                <Route path="/members/detail/:id" element={<MemberDetailPage />} />
                <Route path="/members/acquiring" element={<AcquiringPage />} />
                <Route path="/members/import" element={<ImportPage />} />
                <Route path="/members/bank-cards" element={<BankCardsPage />} />
                <Route path="/migrations" element={<MigrationsPage />} />
                <Route path="/reviews" element={<ReviewsPage />} />
                <Route path="/reviews/:id" element={<ReviewDetailPage />} />
                <Route path="/ops/import-windows" element={<ImportWindowsPage />} />
                <Route path="/ops/statement-enablements" element={<StatementEnablementsPage />} />
                <Route path="/ops/providers" element={<ProvidersPage />} />
                <Route path="/orders" element={<OrdersPage />} />
                <Route path="/orders/guarantee-links" element={<GuaranteeLinksPage />} />
                <Route path="/accounts" element={<AccountsPage />} />
                <Route path="/statements" element={<StatementsPage />} />
                <Route path="/agreements/signing-links" element={<SigningLinksPage />} />
                <Route path="/agreements/:category" element={<AgreementsPage />} />
                <Route path="/split/rules" element={<SplitRulesPage />} />
                <Route path="/split/orders" element={<SplitOrdersPage />} />
                <Route path="/ops/workflows" element={<WorkflowsPage />} />
                <Route path="/ops/staff" element={<StaffPage />} />
                <Route path="/webhooks" element={<WebhooksPage />} />
                <Route path="/change-password" element={<ChangePasswordPage />} />
                <Route path="/provider/accounts" element={<ProviderAccountsPage />} />
                <Route path="/provider/certificates" element={<CertificatesPage scope="provider" />} />
                <Route path="/provider/product-users" element={<ProviderAccountsPage title="产品管理 → 用户管理" />} />
                <Route path="/centre/wechat-pay" element={<WechatPayPage />} />
                <Route path="/payment-solutions/b2b-store" element={<B2bStoreAssistantPage />} />
                <Route path="/payment-solutions/weiqifu" element={<WeiqifuPage />} />
                <Route path="/centre/certificates" element={<CertificatesPage />} />
                <Route path="/centre/overview" element={<DataOverviewPage />} />
                <Route path="/centre/basic-info" element={<BasicInfoPage />} />
                <Route path="/app-onboardings" element={<ApplicationOnboardingsPage />} />
                <Route path="/member" element={<MyInformationPage />} />
                <Route path="/member/movements" element={<MyMovementsPage />} />
                <Route path="/app-onboardings/:id" element={<ApplicationOnboardingDetailPage />} />
              </Route>
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </Theme>
  </StrictMode>,
);
